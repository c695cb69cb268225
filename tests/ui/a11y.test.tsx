// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLookup } from '@/lib/match';
import { searchWith } from '@/lib/ui/lookup-adapter';
import { OptionsApp } from '@/lib/ui/OptionsApp';
import { PopupApp } from '@/lib/ui/PopupApp';
import { SidePanelApp } from '@/lib/ui/SidePanelApp';
import { fixtureDataset } from './fixture-dataset';
import { stubBridge } from './helpers';

/**
 * axe-core structural rules in happy-dom (no layout, so colour-contrast and other
 * rendering rules are left to the e2e run in Chromium, where they are reliable).
 */
async function violations(): Promise<string[]> {
  const res = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
  });
  return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const search = searchWith(createLookup(fixtureDataset), fixtureDataset);

beforeEach(() => {
  fakeBrowser.reset();
  document.documentElement.lang = 'en';
  document.title = 'Governance Lens';
});
afterEach(cleanup);

describe('axe-core (structure and names)', () => {
  it('does detect a problem in happy-dom (sanity check)', async () => {
    render(
      <main>
        <input type="text" />
        <button type="button" />
      </main>,
    );
    const found = await violations();
    expect(found.some((v) => v.startsWith('label'))).toBe(true);
    expect(found.some((v) => v.startsWith('button-name'))).toBe(true);
  });

  it('popup, empty and with a query: 0 violations', async () => {
    render(<PopupApp dataset={fixtureDataset} search={search} bridge={stubBridge()} openOptions={vi.fn()} />);
    await screen.findByRole('region', { name: 'P1 Inclusiveness and transparency' });
    expect(await violations()).toEqual([]);
    const box = screen.getByRole('combobox');
    fireEvent.input(box, { target: { value: 'multi' } });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(await violations()).toEqual([]);
  });

  it('detail view: 0 violations', async () => {
    render(<PopupApp dataset={fixtureDataset} search={search} bridge={stubBridge()} />);
    fireEvent.click(screen.getAllByRole('option')[6]);
    await screen.findByRole('heading', { level: 2, name: 'Infrastructure' });
    expect(await violations()).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Internet exchange point' }));
    await screen.findByRole('heading', { level: 2, name: 'Internet exchange point' });
    expect(await violations()).toEqual([]);
  });

  it('side panel: 0 violations', async () => {
    render(<SidePanelApp dataset={fixtureDataset} bridge={stubBridge()} />);
    await screen.findByRole('region', { name: 'R3 Infrastructure' });
    expect(await violations()).toEqual([]);
  });

  it('options, including an error state: 0 violations', async () => {
    render(<OptionsApp requestSite={vi.fn(async () => true)} />);
    expect(await violations()).toEqual([]);
    fireEvent.input(screen.getByRole('textbox', { name: 'Add a domain to the default scope' }), { target: { value: 'http://x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    await screen.findByRole('alert');
    expect(await violations()).toEqual([]);
  });
});
