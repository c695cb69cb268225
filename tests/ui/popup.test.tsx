// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createLookup } from '@/lib/match';
import { readSettings } from '@/lib/settings';
import { searchWith } from '@/lib/ui/lookup-adapter';
import { pinnedTabId } from '@/lib/ui/page-bridge';
import { PopupApp } from '@/lib/ui/PopupApp';
import { SidePanelApp } from '@/lib/ui/SidePanelApp';
import { fixtureDataset } from './fixture-dataset';
import { stubBridge } from './helpers';

const search = searchWith(createLookup(fixtureDataset), fixtureDataset);

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

function renderPopup(bridge = stubBridge()) {
  render(<PopupApp dataset={fixtureDataset} search={search} bridge={bridge} />);
  return bridge;
}

describe('popup lookup', () => {
  it('opens with focus in the search box', async () => {
    renderPopup();
    const box = screen.getByRole('combobox', { name: /look up/i });
    await waitFor(() => expect(document.activeElement).toBe(box));
  });

  it('shows the four principles and four recommendations for an empty box', () => {
    renderPopup();
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      'Inclusiveness and transparencyPrinciple P1',
      'Collective responsibilityPrinciple P2',
      'Effective decision makingPrinciple P3',
      'Distributed and interoperablePrinciple P4',
      'Build trustRecommendation R1',
      'Capacity buildingRecommendation R2',
      'InfrastructureRecommendation R3',
      'Enhanced cooperationRecommendation R4',
    ]);
  });

  it('moves with the arrow keys and opens the active entry with Enter; Back returns to the search box', async () => {
    renderPopup();
    const box = screen.getByRole('combobox');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    const active = screen.getAllByRole('option')[1];
    expect(active.getAttribute('aria-selected')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe(active.id);
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    const heading = await screen.findByRole('heading', { level: 2, name: 'Collective responsibility' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText('Summary of principle 2.')).toBeTruthy();
    expect(screen.getByText(/Quote for principle 2/)).toBeTruthy();
    expect(screen.getByRole('link', { name: /Internet Society contribution/ }).getAttribute('rel')).toContain('noopener');
    expect(screen.getByRole('button', { name: 'Copy citation' })).toBeTruthy();
    expect(screen.getByText(/dataset version 2016\.12-test\.1/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Back/ }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('combobox')));
  });

  it('finds a term by its acronym, highlights the match, and opens it; related entries are navigable', async () => {
    renderPopup();
    const box = screen.getByRole('combobox');
    fireEvent.input(box, { target: { value: 'IXP' } });
    const first = screen.getAllByRole('option')[0];
    expect(first.textContent).toContain('Internet exchange point');
    expect(first.querySelector('mark')?.textContent).toBe('IXP');
    fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByRole('heading', { level: 2, name: 'Internet exchange point' });
    fireEvent.click(screen.getByRole('button', { name: /Infrastructure/ }));
    await screen.findByRole('heading', { level: 2, name: 'Infrastructure' });
    fireEvent.keyDown(document, { key: 'Escape' });
    await screen.findByRole('heading', { level: 2, name: 'Internet exchange point' });
  });
});

describe('popup: this page', () => {
  it('shows the state, the page terms grouped by principle/recommendation, and focuses a term', async () => {
    const bridge = renderPopup();
    await screen.findByText('On here: default scope (un.org covers its subdomains).');
    const p1 = screen.getByRole('region', { name: 'P1 Inclusiveness and transparency' });
    const chip = within(p1).getByRole('button', { name: /multistakeholder, 3 on this page/ });
    fireEvent.click(chip);
    expect(bridge.focusTerm).toHaveBeenCalledWith(5, 'multistakeholder');
    expect(within(screen.getByRole('region', { name: 'Other terms' })).getByRole('button', { name: /Internet Governance Forum/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export page report' })).toBeTruthy();
  });

  it('tolerates a page without a content script and annotates on demand', async () => {
    const bridge = renderPopup(stubBridge({ url: 'https://example.org/a', report: null }));
    await screen.findByText(/Off here: this site is not in the default scope/);
    expect(screen.getByText(/Not annotated/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Annotate this page' }));
    await waitFor(() => expect(bridge.annotate).toHaveBeenCalledWith(5));
  });

  it('"Always on this site" asks for permission, then saves; "Never" saves without asking; pause is saved', async () => {
    const bridge = renderPopup(stubBridge({ url: 'https://news.example.org/a', report: null }));
    const always = await screen.findByRole('radio', { name: 'Always on this site' });
    fireEvent.click(always);
    await waitFor(async () => expect((await readSettings()).settings.siteModes).toEqual({ 'news.example.org': 'always' }));
    expect(bridge.requestSite).toHaveBeenCalledWith('news.example.org');
    fireEvent.click(screen.getByRole('radio', { name: 'Never on this site' }));
    await waitFor(async () => expect((await readSettings()).settings.siteModes).toEqual({ 'news.example.org': 'never' }));
    expect(bridge.requestSite).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Pause everywhere' }));
    await waitFor(async () => expect((await readSettings()).settings.paused).toBe(true));
  });

  it('does not save "Always" when permission is refused', async () => {
    const bridge = stubBridge({ url: 'https://example.org/a', report: null });
    bridge.requestSite.mockResolvedValue(false);
    renderPopup(bridge);
    fireEvent.click(await screen.findByRole('radio', { name: 'Always on this site' }));
    await screen.findByText(/was not granted; nothing changed/);
    expect((await readSettings()).settings.siteModes).toEqual({});
  });

  it('shows a visible notice when a stored setting was invalid', async () => {
    await fakeBrowser.storage.local.set({ settings: { theme: 'purple' }, settings$: { v: 2 } });
    renderPopup();
    await screen.findByText('A stored setting was invalid and has been reset: theme.');
  });
});

describe('page report export', () => {
  it('downloads the briefing as a .md file', async () => {
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:x';
    });
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    renderPopup();
    fireEvent.click(await screen.findByRole('button', { name: 'Export page report' }));
    await screen.findByText('Page report downloaded.');
    expect(clicks[0]).toMatch(/^governance-lens-www\.un\.org-\d{4}-\d{2}-\d{2}\.md$/);
    const md = await blobs[0].text();
    expect(md).toContain('# Governance Lens briefing: Internet Governance Forum \\| UN');
    expect(md).toContain('### P1 — Inclusiveness and transparency (3 mentions)');
    expect(md).toContain('#:~:text=multi%2Dstakeholder');
    create.mockRestore();
    click.mockRestore();
  });
});

describe('pinned tab (?tab=)', () => {
  it('reads a positive integer only', () => {
    expect(pinnedTabId('?tab=42')).toBe(42);
    expect(pinnedTabId('?tab=0')).toBeUndefined();
    expect(pinnedTabId('?tab=-1')).toBeUndefined();
    expect(pinnedTabId('?tab=4x')).toBeUndefined();
    expect(pinnedTabId('')).toBeUndefined();
  });
});

describe('side panel', () => {
  it('shows the page overview and follows tab changes', async () => {
    const bridge = stubBridge();
    render(<SidePanelApp dataset={fixtureDataset} bridge={bridge} />);
    await screen.findByRole('region', { name: 'R3 Infrastructure' });
    expect(bridge.onTabChange).toHaveBeenCalled();
  });
});
