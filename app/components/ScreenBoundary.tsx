/**
 * A screen that fails while drawing (a bug, or an answer of a newer or older backend than the renderer) shows
 * what failed where it was, with a retry, instead of blanking the whole window: the navigation and the other
 * screens keep working. Keyed by the screen, so going to another screen and back starts it afresh.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorNote } from './States';

interface State { error: Error | null }

export class ScreenBoundary extends Component<{ screen: string; children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`screen ${this.props.screen} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="screen" data-testid="screen-failed">
        <ErrorNote error={new Error(`The ${this.props.screen} screen stopped: ${error.message}`)} onRetry={() => this.setState({ error: null })} />
        <p className="muted small">The other screens work. If this one keeps stopping, reload the window (Ctrl+R); after an update, the window may be older than the workbench behind it.</p>
      </div>
    );
  }
}
