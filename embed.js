// Loads the tilmelding widget. A host page includes it with one line,
//   <script type="module" src="https://WIDGET-ORIGIN/embed.js"></script>
// next to <div id="tilmelding" data-meeting-url="…" data-api-base="…"></div>.
// Everything else (the stylesheet, the bindings, the wasm) is fetched from the origin this file
// came from, so the host page needs no other change. An external file rather than trunk's
// inline loader, because a strict Content-Security-Policy forbids inline scripts.
import init from './tilmelding.js';

const base = new URL('.', import.meta.url);
if (!document.querySelector('link[data-tilmelding-css]')) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = new URL('tilmelding.css', base).href;
    css.dataset.tilmeldingCss = '';
    document.head.append(css);
}
await init({ module_or_path: new URL('tilmelding_bg.wasm', base) });
