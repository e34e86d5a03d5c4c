import { refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('addresses: create, fetch and list, each in its own account', () => {
  // One test sends a create without Street on purpose, and asserts the violation.
  const sandbox = useSandbox({ allowRequestViolations: true });

  const filed = {
    customerName: 'Acme Dental',
    street: '1 Main St',
    streetSecondary: 'Floor 2',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62701',
    isoCountry: 'US',
    friendlyName: 'Acme head office',
  };

  it('files every field it is given, and answers it to fetch and list in that account only', async () => {
    const main = sandbox().seed();
    const client = sandboxClient(sandbox(), main.accountSid, main.authToken);
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'Tenant' });
    const created = await client.api.v2010.accounts(sub.sid).addresses.create(filed);
    expect(created).toMatchObject({ ...filed, accountSid: sub.sid });
    const fetched = await client.api.v2010.accounts(sub.sid).addresses(created.sid).fetch();
    expect(fetched).toMatchObject({ ...filed, sid: created.sid });
    expect((await client.api.v2010.accounts(sub.sid).addresses.list()).map((a) => a.sid)).toEqual([
      created.sid,
    ]);
    // Another account's Address is not found, as Twilio answers for a SID of another account.
    expect(await refusal(client.addresses(created.sid).fetch())).toEqual({ status: 404, code: 20404 });
  });

  it("refuses a create without one of the fields Twilio's CreateAddress requires", async () => {
    const main = sandbox().seed();
    const response = await fetch(
      `${sandbox().baseUrl}/2010-04-01/Accounts/${main.accountSid}/Addresses.json`,
      {
        method: 'POST',
        headers: {
          'X-Twilio-Host': 'api.twilio.com',
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${main.accountSid}:${main.authToken}`).toString('base64')}`,
        },
        // No Street.
        body: new URLSearchParams({
          CustomerName: filed.customerName,
          City: filed.city,
          Region: filed.region,
          PostalCode: filed.postalCode,
          IsoCountry: filed.isoCountry,
        }),
      },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 20001 });
    expect(sandbox().state.addresses).toEqual([]);
    expect(sandbox().specViolations()).toEqual([
      expect.objectContaining({
        operationId: 'CreateAddress',
        errors: ["/requestBody: must have required property 'Street'"],
      }),
    ]);
  });

  it('gives the Addresses a test adds every required field', () => {
    const main = sandbox().seed();
    const added = sandbox().addAddress(main.accountSid, 'DE');
    expect(added).toMatchObject({ accountSid: main.accountSid, isoCountry: 'DE' });
    for (const field of ['customerName', 'street', 'city', 'region', 'postalCode'] as const)
      expect(added[field]).not.toBe('');
  });
});
