import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { call } from './bridge';
import { showClippedTextOnHover } from './components/clippedText';
import { ErrorBoundary } from './components/ErrorBoundary';
import { failureReport } from './components/failureReport';
import { useApp } from './stores/app';
import './styles.css';
import './print.css';

// Errors outside rendering (an event handler, a promise nobody awaited) leave the screen as it
// was; they still go to the app's log so that a report can say what happened.
const logFailure = (error: unknown) =>
  void call('app.reportError', failureReport(error, '', window.location.hash.replace(/^#/, '') || '/', useApp.getState().info?.appVersion ?? ''));
window.addEventListener('error', (e) => logFailure(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => logFailure(e.reason));
showClippedTextOnHover();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary whole>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
