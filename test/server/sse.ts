// Reads a Server-Sent Events stream in a test: open it, act, then `stop()`
// ends it and returns every message it carried.
import { expect } from 'vitest';

export interface Message { event: string; data: Record<string, unknown> }

export async function openStream(base: string, path: string, token: string): Promise<{ stop: () => Promise<Message[]>; text: () => string }> {
  const controller = new AbortController();
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(res.status, path).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return {
    text: () => text,
    async stop() {
      controller.abort();
      await pump;
      return text.split('\n\n').filter((b) => b.startsWith('event:')).map((b) => {
        const [ev, data] = b.split('\n');
        return { event: ev!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) as Record<string, unknown> };
      });
    },
  };
}
