import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { LiveUpdates } from './lib/live-updates.js';
import './styles.css';

// Vault data changes only through our own calls or pushed events (LiveUpdates re-reads what main
// reports changed): no background refetching.
const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } } });

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <LiveUpdates />
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
