import { render } from 'preact';
import { browser } from 'wxt/browser';
import { loadDataset } from '@/lib/dataset';
import { createLookup } from '@/lib/match';
import { searchWith } from '@/lib/ui/lookup-adapter';
import { browserBridge } from '@/lib/ui/page-bridge';
import { PopupApp } from '@/lib/ui/PopupApp';
import { openSidePanel } from '@/lib/ui/sidepanel-open';
import '@/lib/ui/styles.css';

const dataset = loadDataset();
const search = searchWith(createLookup(dataset), dataset);
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
