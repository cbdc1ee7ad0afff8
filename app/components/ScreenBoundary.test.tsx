// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ScreenBoundary } from './ScreenBoundary';

afterEach(cleanup);

let fail = true;
function Fragile() {
  if (fail) throw new TypeError("Cannot read properties of undefined (reading 'departures')");
  return <p>charts</p>;
}

describe('ScreenBoundary', () => {
  it('shows a failing screen\'s error where it was, and draws it again on retry', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<div><nav>menu</nav><ScreenBoundary screen="analyst charts"><Fragile /></ScreenBoundary></div>);
    expect(screen.getByText('menu')).toBeTruthy(); // the rest of the window stays
    expect(screen.getByRole('alert').textContent).toContain("The analyst charts screen stopped: Cannot read properties of undefined (reading 'departures')");
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByText('charts')).toBeTruthy();
    expect(screen.queryByTestId('screen-failed')).toBeNull();
    quiet.mockRestore();
  });
});
