import WebSocket from 'ws';

export interface SignallingMessage {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * A signalling connection to the sandbox's calling edge as the Voice SDK opens it (<chunderw>/signal,
 * the messages of its pstream.ts; plain ws:// as the local softphone opens it), answering heartbeats as
 * its wstransport.ts does.
 */
export async function connectSignalling(host: string) {
  const socket = new WebSocket(`ws://${host}/signal`);
  const received: SignallingMessage[] = [];
  const waiting: ((message: SignallingMessage) => void)[] = [];
  let heartbeats = 0;
  socket.on('message', (data) => {
    if (String(data) === '\n') {
      heartbeats += 1;
      socket.send('\n');
      return;
    }
    const message = JSON.parse(String(data)) as SignallingMessage;
    const next = waiting.shift();
    if (next) next(message);
    else received.push(message);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return {
    send: (type: string, payload: Record<string, unknown>) =>
      socket.send(JSON.stringify({ type, version: '1.6', payload })),
    next: () =>
      new Promise<SignallingMessage>((resolve) => {
        const queued = received.shift();
        if (queued) resolve(queued);
        else waiting.push(resolve);
      }),
    close: () => socket.close(),
    heartbeats: () => heartbeats,
  };
}
