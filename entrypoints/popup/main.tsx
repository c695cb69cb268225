import { render } from 'preact';
import { browser } from 'wxt/browser';
import { loadDataset } from '@/lib/dataset';
import { createLookup } from '@/lib/match';
import { searchWith, warmLookup } from '@/lib/ui/lookup-adapter';
import { browserBridge } from '@/lib/ui/page-bridge';
import { PopupApp } from '@/lib/ui/PopupApp';
import { openSidePanel } from '@/lib/ui/sidepanel-open';
import '@/lib/ui/styles.css';

const dataset = loadDataset();
const lookup = createLookup(dataset);
const search = searchWith(lookup, dataset);
const sidePanel = openSidePanel();

render(
  <PopupApp
    dataset={dataset}
    search={search}
    bridge={browserBridge}
    openOptions={() => void browser.runtime.openOptionsPage()}
    openSidePanel={sidePanel}
  />,
  document.getElementById('app')!,
);

// After the first render, in its own task: warm the lookup before the first keystroke.
setTimeout(() => warmLookup(lookup), 0);
