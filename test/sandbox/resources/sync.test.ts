import { refusal, sandboxClient, useSandbox } from '../../helpers/sandbox';

describe('Sync maps and items', () => {
  const sandbox = useSandbox();

  function client() {
    const main = sandbox().seed();
    return sandboxClient(sandbox(), main.accountSid, main.authToken);
  }

  it('serves the default Service alias and maps by unique name', async () => {
    const c = client();
    const map = await c.sync.v1.services('default').syncMaps.create({ uniqueName: 'tenants' });
    expect((await c.sync.v1.services('default').syncMaps('tenants').fetch()).sid).toBe(map.sid);
    expect((await c.sync.v1.services(map.serviceSid).fetch()).uniqueName).toBe('default');
    expect(await refusal(c.sync.v1.services('default').syncMaps.create({ uniqueName: 'tenants' }))).toEqual({
      status: 409,
      code: 54301,
    });
  });

  it('refuses a duplicate key (54208) and a stale If-Match revision (412, 54103) without changing the item', async () => {
    const items = client().sync.v1.services('default').syncMaps;
    await items.create({ uniqueName: 'm' });
    const first = await items('m').syncMapItems.create({ key: 'AC1', data: { v: 1 } });
    expect(await refusal(items('m').syncMapItems.create({ key: 'AC1', data: { v: 9 } }))).toEqual({
      status: 409,
      code: 54208,
    });
    const second = await items('m')
      .syncMapItems('AC1')
      .update({ data: { v: 2 }, ifMatch: first.revision });
    expect(second.revision).not.toBe(first.revision);
    expect(
      await refusal(
        items('m')
          .syncMapItems('AC1')
          .update({ data: { v: 3 }, ifMatch: first.revision }),
      ),
    ).toEqual({ status: 412, code: 54103 });
    expect((await items('m').syncMapItems('AC1').fetch()).data).toEqual({ v: 2 });
    await items('m').syncMapItems('AC1').remove();
    expect(await refusal(items('m').syncMapItems('AC1').fetch())).toEqual({ status: 404, code: 20404 });
  });
  it('lists items in key order from a key, inclusive or exclusive, either way round', async () => {
    const maps = client().sync.v1.services('default').syncMaps;
    await maps.create({ uniqueName: 'ordered' });
    for (const key of ['b', 'd', 'a', 'c']) await maps('ordered').syncMapItems.create({ key, data: {} });
    const keys = async (options: Parameters<ReturnType<typeof maps>['syncMapItems']['list']>[0]) =>
      (await maps('ordered').syncMapItems.list(options)).map((item) => item.key);

    expect(await keys({})).toEqual(['a', 'b', 'c', 'd']);
    expect(await keys({ from: 'b' })).toEqual(['b', 'c', 'd']);
    expect(await keys({ from: 'b', bounds: 'exclusive' })).toEqual(['c', 'd']);
    expect(await keys({ from: 'bb', bounds: 'exclusive' })).toEqual(['c', 'd']);
    expect(await keys({ from: 'c', order: 'desc' })).toEqual(['c', 'b', 'a']);
    expect(await keys({ from: 'c', order: 'desc', bounds: 'exclusive' })).toEqual(['b', 'a']);
    expect(await keys({ from: 'z' })).toEqual([]);
  });
});
