import { render } from 'preact';

render(<main>Governance Lens</main>, document.getElementById('app')!);
