import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake 天地图 geocoder on 127.0.0.1 that answers in the service's own shape, for tests of the real adapter:
 *   a known keyWord → status "0" with a location (lon/lat as strings, as the service sends them);
 *   an unknown one → status "101"; tk `bad` → HTTP 403 with the service's refusal; a keyWord containing
 *   `慢` → no answer until the client gives up; `乱码` → a body that is not JSON.
 */
export interface FakeTianditu {
  url: string;
  requests: { keyWord: string; tk: string }[];
  close(): Promise<void>;
}

export async function startFakeTianditu(
  places: Record<string, { lon: number; lat: number; level: string }>,
): Promise<FakeTianditu> {
  const requests: FakeTianditu['requests'] = [];
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    let keyWord = '';
    try {
      keyWord = String((JSON.parse(u.searchParams.get('ds') ?? '{}') as { keyWord?: unknown }).keyWord ?? '');
    } catch {
      keyWord = '';
    }
    const tk = u.searchParams.get('tk') ?? '';
    requests.push({ keyWord, tk });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (tk === 'bad') return send(403, { msg: '非法Key', resolve: '请到API控制台重新申请Key', code: 1 });
    if (keyWord.includes('慢')) {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (keyWord.includes('乱码')) return send(200, '<html>服务维护中</html>');
    const place = places[keyWord];
    if (!place) return send(200, { status: '101', msg: '无结果', searchVersion: '4.8.0' });
    return send(200, {
      location: { lon: String(place.lon), lat: String(place.lat), level: place.level, score: 90, keyWord },
      status: '0',
      msg: 'ok',
      searchVersion: '4.8.0',
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/geocoder`,
    requests,
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
