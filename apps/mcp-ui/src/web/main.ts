import { h, render } from 'preact';
import { App } from './components/app.ts';

render(h(App, null), document.getElementById('app')!);
