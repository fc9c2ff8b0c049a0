import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { startTheme } from './app/theme';
// A stylesheet file, not inline styles: the CSP allows style-src 'self' only.
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before the first render, so a dark window never flashes light.
startTheme();

createRoot(container).render(
  <StrictMode>
    {/* The last line of defence; each screen has its own boundary inside the shell. */}
    <ErrorBoundary what="the window">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
