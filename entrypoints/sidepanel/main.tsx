import { render } from 'preact';
import { loadDataset } from '@/lib/dataset';
import { browserBridge } from '@/lib/ui/page-bridge';
import { SidePanelApp } from '@/lib/ui/SidePanelApp';
import '@/lib/ui/styles.css';

render(<SidePanelApp dataset={loadDataset()} bridge={browserBridge} />, document.getElementById('app')!);
