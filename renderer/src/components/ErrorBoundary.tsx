import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { call } from '../bridge';
import { t } from '../i18n/ru';
import { useApp } from '../stores/app';
import { failureReport, failureText, type FailureReport } from './failureReport';

interface Props {
  children: ReactNode;
  /** A new value (the user went to another location) clears the failure. */
  resetKey?: string;
  /** The last resort around the whole window rather than one screen. */
  whole?: boolean;
}

interface State {
  error: unknown;
  failed: boolean;
  report: FailureReport | null;
  /** Bumped by «Повторить»: the screen is mounted afresh, its state and loads started over. */
  attempt: number;
  copied: 'yes' | 'failed' | null;
}

/** The hash route the window shows, as the user would name it. */
const currentRoute = (): string => window.location.hash.replace(/^#/, '') || '/';

/**
 * A render error in a screen shows this instead of a blank window: the message, «Повторить»,
 * «Скопировать подробности» and the details, which also go to the app's log file through the
 * core. Each screen has its own boundary, so the others keep working.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, failed: false, report: null, attempt: 0, copied: null };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, failed: true, copied: null };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    const report = failureReport(error, info.componentStack ?? '', currentRoute(), useApp.getState().info?.appVersion ?? '');
    this.setState({ report });
    void call('app.reportError', report).then((r) => {
      if (!r.ok) console.error('[экран] отчёт об ошибке не записан:', r.error.message);
    });
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.retry();
  }

  retry = (): void => this.setState((s) => ({ error: null, failed: false, report: null, copied: null, attempt: s.attempt + 1 }));

  copy = (): void => {
    const text = this.details();
    navigator.clipboard.writeText(text).then(
      () => this.setState({ copied: 'yes' }),
      () => this.setState({ copied: 'failed' }),
    );
  };

  private details(): string {
    return failureText(this.state.report ?? failureReport(this.state.error, '', currentRoute(), useApp.getState().info?.appVersion ?? ''));
  }

  override render(): ReactNode {
    if (!this.state.failed) return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
    const s = t.common.screenError;
    return (
      <section className={this.props.whole ? 'page screen-error whole' : 'page screen-error'} role="alert" aria-labelledby="screen-error-title">
        <h1 id="screen-error-title">{s.title}</h1>
        <p>{this.props.whole ? s.windowHint : s.screenHint}</p>
        <div className="actions">
          <button type="button" className="primary" onClick={this.retry}>
            {t.common.retry}
          </button>
          <button type="button" onClick={this.copy}>
            {s.copy}
          </button>
          {this.state.copied && (
            <span className="muted" role="status">
              {this.state.copied === 'yes' ? s.copied : s.copyFailed}
            </span>
          )}
        </div>
        <details>
          <summary>{s.details}</summary>
          <pre className="screen-error-details">{this.details()}</pre>
        </details>
      </section>
    );
  }
}
