import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { ApiClientError } from './api/client';
import './styles.css';

const queryClient: QueryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, retry: (n, e) => n < 1 && !(e instanceof ApiClientError && ['unauthenticated', 'forbidden', 'validation', 'not_found'].includes(e.code)), refetchOnWindowFocus: false } },
  // a session that ended (logout elsewhere, role removed) sends the person back to the login
  queryCache: new QueryCache({
    onError: (e, q) => {
      if (e instanceof ApiClientError && e.code === 'unauthenticated' && q.queryKey[0] !== 'auth.status') void queryClient.invalidateQueries({ queryKey: ['auth.status'] });
    },
  }),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
