import { h, render } from 'preact';
import { App } from './components/app.ts';

const root = document.getElementById('app')!;
root.textContent = '';
render(h(App, null), root);
