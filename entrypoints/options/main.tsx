import { render } from 'preact';
import { browserBridge } from '@/lib/ui/page-bridge';
import { OptionsApp } from '@/lib/ui/OptionsApp';
import '@/lib/ui/styles.css';

render(<OptionsApp requestSite={browserBridge.requestSite} />, document.getElementById('app')!);
