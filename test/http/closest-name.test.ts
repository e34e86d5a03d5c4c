import { closestName } from '../../src/http/closest-name';

describe('closestName', () => {
  const known = [
    'friendlyName',
    'areaCode',
    'messagingService',
    'pageSize',
    'cursor',
    'recording',
    'voicemail',
  ];

  it.each([
    ['messagingservice', 'messagingService'],
    ['areacode', 'areaCode'],
    ['pagesize', 'pageSize'],
    ['page_size', 'pageSize'],
    ['cursr', 'cursor'],
    ['friendlyname', 'friendlyName'],
    ['voiceMail', 'voicemail'],
    ['recordings', 'recording'],
  ])('%s → %s', (typed, meant) => expect(closestName(typed, known)).toBe(meant));

  it.each(['subaccountSid', 'colour', 'x', 'to'])('%s → nothing close', (typed) =>
    expect(closestName(typed, known)).toBeUndefined(),
  );
});
