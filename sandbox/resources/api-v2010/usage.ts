import Big from 'big.js';
import type { Handlers } from '../../context';
import { pageV2010 } from '../../rest/paging';
import { derivedUsage } from '../../rules/derived-usage';
import type { UsageRecord } from '../../state/types';
import { pathAccountSid } from './account-scope';
import { accountUri } from './uris';

const today = (): string => new Date().toISOString().slice(0, 10);

/** Records inside the asked range, summed per category and account, as Twilio reports a period. */
function summarise(records: UsageRecord[]): UsageRecord[] {
  const byCategory = new Map<string, UsageRecord>();
  for (const record of records) {
    const id = `${record.accountSid}/${record.category}`;
    const sum = byCategory.get(id);
    if (!sum) {
      byCategory.set(id, { ...record });
      continue;
    }
    sum.count = new Big(sum.count).plus(record.count).toString();
    sum.usage = new Big(sum.usage).plus(record.usage).toString();
    sum.price = new Big(sum.price).plus(record.price).toString();
  }
  return [...byCategory.values()];
}

/**
 * `totalprice`, the category Twilio adds for "the total price of all usage" (a usage category of the
 * twilio-oai enum, https://www.twilio.com/docs/usage/api/usage-record#usage-categories). The sandbox's
 * records are leaf categories, so their sum is the total; on Twilio, grouping categories such as `calls`
 * overlap their parts and must not be summed.
 */
const TOTAL_PRICE = 'totalprice';

function totalOf(records: UsageRecord[], accountSid: string, startDate: string): UsageRecord {
  return {
    accountSid,
    category: TOTAL_PRICE,
    description: 'Total Price',
    startDate,
    endDate: startDate,
    count: '0',
    countUnit: '',
    usage: '0',
    usageUnit: '',
    price: records.reduce((sum, record) => sum.plus(record.price), new Big(0)).toString(),
    priceUnit: records[0]?.priceUnit ?? 'usd',
  };
}

export const usageHandlers: Handlers = {
  ListUsageRecord: (context) => {
    const accountSid = pathAccountSid(context);
    const { query, state } = context;
    const category = query.get('Category');
    const startDate = query.get('StartDate') ?? '1970-01-01';
    const endDate = query.get('EndDate') ?? today();
    const includeSubaccounts = query.get('IncludeSubaccounts') !== 'false';
    const accounts = new Set([accountSid]);
    if (includeSubaccounts) {
      for (const account of state.accounts)
        if (account.ownerAccountSid === accountSid) accounts.add(account.sid);
    }
    // Added records beside what the sandbox's own calls, recordings and numbers made.
    const inRange = [
      ...state.usageRecords.filter(
        (r) => accounts.has(r.accountSid) && r.startDate >= startDate && r.endDate <= endDate,
      ),
      ...derivedUsage(state, accounts, startDate, endDate, context.rules.now),
    ];
    const all = [...summarise(inRange), totalOf(inRange, accountSid, startDate)];
    const records = all
      .filter((r) => category === null || r.category === category)
      .map((r) => ({
        account_sid: accountSid,
        api_version: '2010-04-01',
        as_of: new Date().toISOString(),
        category: r.category,
        count: r.count,
        count_unit: r.countUnit,
        description: r.description,
        end_date: endDate,
        // A decimal string, as Twilio answers prices ("price": "2192.84855" in the twilio-oai example
        // of ListUsageRecord), although the schema calls the field a number.
        price: r.price,
        price_unit: r.priceUnit,
        start_date: startDate,
        subresource_uris: {},
        uri: `${accountUri(accountSid)}/Usage/Records.json?Category=${r.category}&StartDate=${startDate}&EndDate=${endDate}`,
        usage: r.usage,
        usage_unit: r.usageUnit,
      }));
    return { status: 200, body: pageV2010(records, context, 'usage_records') };
  },
};
