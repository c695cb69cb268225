// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readSettings, saveSettings } from '@/lib/settings';
import { OptionsApp } from '@/lib/ui/OptionsApp';

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

/** Render and wait for the form (it appears once the stored settings are read). */
async function renderOptions(granted = true) {
  const requestSite = vi.fn(async () => granted);
  render(<OptionsApp requestSite={requestSite} />);
  await screen.findByText('A domain covers all of its subdomains:');
  return requestSite;
}

describe('options page', () => {
  it('explains the subdomain rule and lists the default domains', async () => {
    await renderOptions();
    expect(screen.getByText('A domain covers all of its subdomains:')).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Default domains' });
    expect(list.textContent).toContain('un.org');
    expect(list.textContent).toContain('intgovforum.org');
  });

  it.each([
    ['http://x', /without http:\/\//],
    ['un .org', /space/],
    ['*.un.org', /Wildcards are not needed/],
    ['un.org', /already covered by the default list/],
  ])('shows a clear error for %j and saves nothing', async (input, error) => {
    const requestSite = await renderOptions();
    const box = screen.getByRole('textbox', { name: 'Add a domain to the default scope' });
    fireEvent.input(box, { target: { value: input } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(error);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(box.getAttribute('aria-describedby')).toContain(alert.id);
    expect(requestSite).not.toHaveBeenCalled();
    expect((await readSettings()).settings.extraDomains).toEqual([]);
  });

  it('adds a valid domain after the permission is granted', async () => {
    const requestSite = await renderOptions();
    fireEvent.input(screen.getByRole('textbox', { name: 'Add a domain to the default scope' }), { target: { value: 'Example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    await waitFor(async () => expect((await readSettings()).settings.extraDomains).toEqual(['example.org']));
    expect(requestSite).toHaveBeenCalledWith('example.org');
    await screen.findByRole('button', { name: 'Remove example.org' });
  });

  it('changes density, kinds and theme live', async () => {
    await renderOptions();
    fireEvent.click(screen.getByRole('radio', { name: /First occurrence in each section/ }));
    fireEvent.click(screen.getByRole('radio', { name: /Only terms tied to ISOC/ }));
    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    await waitFor(async () => expect((await readSettings()).settings).toMatchObject({ density: 'first-per-section', kinds: 'guided', theme: 'dark' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
  });

  it('shows the form only with the stored values (never the defaults first)', async () => {
    await saveSettings({ density: 'first-per-section' });
    render(<OptionsApp requestSite={vi.fn(async () => true)} />);
    expect(screen.getByText('Loading settings…')).toBeTruthy();
    expect(screen.queryByRole('radio', { name: /First occurrence in each section/ })).toBeNull();
    const radio = (await screen.findByRole('radio', { name: /First occurrence in each section/ })) as HTMLInputElement;
    expect(radio.checked).toBe(true);
  });

  it('reflects a change made elsewhere (live)', async () => {
    await renderOptions();
    await saveSettings({ paused: true });
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Pause everywhere' }) as HTMLInputElement).checked).toBe(true));
  });

  it('rejects a bad settings file without changing anything and says why', async () => {
    await saveSettings({ theme: 'light' });
    await renderOptions();
    const input = screen.getByLabelText('Import settings…') as HTMLInputElement;
    const file = new File([JSON.stringify({ format: 'governance-lens-settings', version: 2, settings: { density: 'lots' } })], 'bad.json', {
      type: 'application/json',
    });
    fireEvent.change(input, { target: { files: [file] } });
    await screen.findByText(/The file was not imported, nothing changed: density/);
    expect((await readSettings()).settings.theme).toBe('light');
    expect((await readSettings()).settings.density).toBe('all');
  });

  it('resets to defaults after confirmation', async () => {
    await saveSettings({ theme: 'dark', extraDomains: ['example.org'] });
    await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, reset' }));
    await screen.findByText('All settings were reset to their defaults.');
    expect((await readSettings()).settings).toMatchObject({ theme: 'auto', extraDomains: [] });
  });

  it('shows the notice for a corrupted stored value', async () => {
    await fakeBrowser.storage.local.set({ settings: { density: 42, kinds: 'guided' }, settings$: { v: 2 } });
    await renderOptions();
    await screen.findByText('A stored setting was invalid and has been reset: density.');
    expect((await readSettings()).settings.kinds).toBe('guided');
  });
});
