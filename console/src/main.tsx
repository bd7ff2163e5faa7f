import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isSignedOut } from './api.js';
import { App, SESSION_KEY } from './app.js';
import './styles.css';

// A 401 on any call means the session ended (expired, signed out elsewhere): back to sign-in.
const onError = (error: unknown) => {
  if (isSignedOut(error)) queryClient.setQueryData(SESSION_KEY, null);
};
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: { queries: { retry: (failures, error) => !isSignedOut(error) && failures < 2, staleTime: 10_000 } },
});

const root = document.getElementById('root');
if (root === null) throw new Error('the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
