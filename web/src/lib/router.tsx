// A tiny history router: the app has a dozen fixed paths, no params worth a
// library. The server answers index.html for any non-/api path (static.ts).
import { useEffect, useState } from 'react';

const listeners = new Set<() => void>();
export function navigate(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    listeners.add(on);
    window.addEventListener('popstate', on);
    return () => {
      listeners.delete(on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return path;
}

export function useQueryParam(name: string): string | null {
  usePath();
  return new URLSearchParams(location.search).get(name);
}
