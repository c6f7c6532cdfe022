import { createContext, useContext, useEffect, useState } from 'react';
import type { Api, Client } from './api.ts';
import type { Role, Session } from './auth.ts';
import type { Customer, Project } from './types.ts';

export interface AppContextValue {
  readonly api: Api;
  /** The typed client (openapi-fetch, types generated from the contract). */
  readonly client: Client;
  readonly session: Session;
  can(role: Role): boolean;
  navigate(hash: string): void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}

/** Customers and projects by id, for names in lists and the project choice (loaded once per page). */
export function useLookups(): { customers: Map<string, Customer>; projects: Map<string, Project>; loaded: boolean } {
  const { api } = useApp();
  const [state, setState] = useState({
    customers: new Map<string, Customer>(),
    projects: new Map<string, Project>(),
    loaded: false,
  });
  useEffect(() => {
    let live = true;
    void (async () => {
      const all = async <T extends { id: string }>(path: string): Promise<Map<string, T>> => {
        const map = new Map<string, T>();
        let cursor: string | null = null;
        do {
          const page: { items: T[]; next: string | null } = await api.get(
            `${path}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          for (const item of page.items) map.set(item.id, item);
          cursor = page.next;
        } while (cursor);
        return map;
      };
      try {
        const [customers, projects] = await Promise.all([all<Customer>('/customers'), all<Project>('/projects')]);
        if (live) setState({ customers, projects, loaded: true });
      } catch {
        if (live) setState((previous) => ({ ...previous, loaded: true }));
      }
    })();
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}
