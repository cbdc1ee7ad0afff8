// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiClientError } from '../../api/client';
import { OverrideCellEditorComp, OverrideForm, buildOverride, initialOverrideState, type OverrideTarget } from './OverrideEditor';

afterEach(cleanup);

const fare: OverrideTarget = {
  id: 17, kind: 'fare', currency: 'EUR', currentValue: 40_000, recommendedValue: 41_600, proposedValue: 41_600,
  guardrails: { floor: 30_000, ceiling: 120_000, maxChangePct: 20 }, travelDateTo: '2026-12-01', origin: 'FRA', destination: 'JFK', rbd: 'Q',
};
const seats: OverrideTarget = { ...fare, id: 18, kind: 'authorisation', currency: null, currentValue: 110, recommendedValue: 90, proposedValue: 90, guardrails: null };
const TODAY = '2026-11-25';

describe('buildOverride', () => {
  it('needs a reason, a readable value and a future expiry, naming the field', () => {
    const s = initialOverrideState(fare);
    expect(s).toMatchObject({ mode: 'replace', value: '416.00', expiresOn: '2026-12-01', reason: '' });
    expect(buildOverride(fare, s, TODAY)).toMatchObject({ ok: false, field: 'reason' });
    expect(buildOverride(fare, { ...s, reason: 'rival sale', value: '41x' }, TODAY)).toMatchObject({ ok: false, field: 'value' });
    expect(buildOverride(fare, { ...s, reason: 'rival sale', expiresOn: '2026-11-01' }, TODAY)).toMatchObject({ ok: false, field: 'expiresOn' });
    expect(buildOverride(fare, { ...s, reason: '  rival sale ', value: '399.5' }, TODAY)).toEqual({
      ok: true, input: { id: 17, mode: 'replace', value: 39_950, expiresAt: '2026-12-01T23:59:59Z', reason: 'rival sale', confirmOutsideGuardrails: false },
    });
  });

  it('builds an influence bias in percent with its half-life', () => {
    const s = { ...initialOverrideState(fare), mode: 'influence' as const, reason: 'event demand', biasPct: '-5', halfLifeDays: '3' };
    expect(buildOverride(fare, s, TODAY)).toMatchObject({ ok: true, input: { mode: 'influence', biasPct: -5, halfLifeDays: 3 } });
    expect(buildOverride(fare, { ...s, biasPct: '0' }, TODAY)).toMatchObject({ ok: false, field: 'biasPct' });
    expect(buildOverride(fare, { ...s, halfLifeDays: '0' }, TODAY)).toMatchObject({ ok: false, field: 'halfLifeDays' });
  });

  it('takes whole seats for authorisation levels', () => {
    const s = { ...initialOverrideState(seats), reason: 'group block', value: '95' };
    expect(buildOverride(seats, s, TODAY)).toMatchObject({ ok: true, input: { value: 95 } });
    expect(buildOverride(seats, { ...s, value: '9.5' }, TODAY)).toMatchObject({ ok: false, field: 'value' });
  });
});

describe('OverrideForm', () => {
  it('will not save without a reason', async () => {
    const onSubmit = vi.fn(async () => undefined);
    render(<OverrideForm target={fare} today={TODAY} onSubmit={onSubmit} onCancel={() => undefined} />);
    expect(screen.getByTestId('override-guardrails').textContent).toBe('Guardrails: floor 300.00 EUR · ceiling 1,200.00 EUR · max change ±20 %');
    fireEvent.click(screen.getByTestId('override-submit'));
    expect((await screen.findByTestId('override-error')).textContent).toMatch(/say why/i);
    expect(screen.getByTestId('override-reason').getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('saves the typed value with the reason; Enter in the reason saves', async () => {
    const onSubmit = vi.fn(async () => undefined);
    render(<OverrideForm target={fare} today={TODAY} onSubmit={onSubmit} onCancel={() => undefined} />);
    fireEvent.change(screen.getByTestId('override-value'), { target: { value: '380' } });
    expect(screen.getByTestId('override-change').textContent).toBe('−5.0 % against current');
    fireEvent.change(screen.getByTestId('override-reason'), { target: { value: 'match the rival sale' } });
    fireEvent.keyDown(screen.getByTestId('override-reason'), { key: 'Enter' });
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({ id: 17, mode: 'replace', value: 38_000, expiresAt: '2026-12-01T23:59:59Z', reason: 'match the rival sale', confirmOutsideGuardrails: false });
  });

  it('asks for an explicit confirmation when the API says the value is outside the guardrails', async () => {
    const onSubmit = vi.fn()
      .mockRejectedValueOnce(new ApiClientError('decisions.override', { code: 'conflict', message: 'outside the guardrails: 25000 is below the floor 30000', field: 'confirmOutsideGuardrails' }))
      .mockResolvedValueOnce(undefined);
    render(<OverrideForm target={fare} today={TODAY} onSubmit={onSubmit} onCancel={() => undefined} />);
    expect(screen.queryByTestId('override-confirm-outside')).toBeNull();
    fireEvent.change(screen.getByTestId('override-value'), { target: { value: '250' } });
    fireEvent.change(screen.getByTestId('override-reason'), { target: { value: 'clearance' } });
    fireEvent.click(screen.getByTestId('override-submit'));
    expect((await screen.findByTestId('override-error')).textContent).toMatch(/below the floor/);
    fireEvent.click(screen.getByTestId('override-confirm-outside'));
    fireEvent.click(screen.getByTestId('override-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]![0]).toMatchObject({ value: 25_000, confirmOutsideGuardrails: true });
  });

  it('Escape cancels', () => {
    const onCancel = vi.fn();
    render(<OverrideForm target={fare} today={TODAY} onSubmit={async () => undefined} onCancel={onCancel} />);
    fireEvent.keyDown(screen.getByTestId('override-value'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});

describe('OverrideCellEditorComp (the review grid\'s popup editor)', () => {
  async function open(onSubmit: (i: unknown) => Promise<unknown>) {
    const stopEditing = vi.fn();
    const apiStop = vi.fn();
    const editor = new OverrideCellEditorComp();
    const p = { data: { ...fare }, value: fare.proposedValue, onSubmit, today: () => TODAY, stopEditing, api: { stopEditing: apiStop } } as unknown as Parameters<OverrideCellEditorComp['init']>[0];
    await act(async () => editor.init(p));
    document.body.append(editor.getGui());
    return { editor, stopEditing, apiStop };
  }
  // the editor mounts its own React root, outside testing-library's render
  beforeAll(() => { (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true; });
  afterEach(() => { document.body.innerHTML = ''; });

  it('closes the editor after the API saved the override, leaving the cell value to the refresh', async () => {
    const onSubmit = vi.fn(async () => ({ id: 99 }));
    const { editor, stopEditing, apiStop } = await open(onSubmit);
    expect(editor.getGui().className).toBe('override-popup');
    fireEvent.change(screen.getByTestId('override-reason'), { target: { value: 'season start' } });
    fireEvent.click(screen.getByTestId('override-submit'));
    await waitFor(() => expect(stopEditing).toHaveBeenCalledTimes(1));
    expect(apiStop).not.toHaveBeenCalled();
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ id: 17, value: 41_600, reason: 'season start' }));
    expect(editor.getValue()).toBe(41_600);
    await act(async () => editor.destroy());
    expect(editor.getGui().childElementCount).toBe(0);
  });

  it('stays open with the error when the API refuses, and cancels the edit on Cancel', async () => {
    const { editor, stopEditing, apiStop } = await open(async () => { throw new ApiClientError('decisions.override', { code: 'forbidden', message: 'Your role (analyst) may not do this' }); });
    fireEvent.change(screen.getByTestId('override-reason'), { target: { value: 'season start' } });
    fireEvent.click(screen.getByTestId('override-submit'));
    expect((await screen.findByTestId('override-error')).textContent).toMatch(/may not/);
    expect(stopEditing).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('Cancel'));
    expect(apiStop).toHaveBeenCalledWith(true);
    await act(async () => editor.destroy());
  });
});
