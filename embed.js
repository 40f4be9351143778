// Loads the tilmelding widget. A host page includes it with one line,
//   <script type="module" src="https://WIDGET-ORIGIN/embed.js"></script>
// next to <div id="tilmelding" data-meeting-url="…" data-api-base="…"></div>.
// Everything else (the stylesheet, the bindings, the wasm) is fetched from the origin this file
// came from, so the host page needs no other change. An external file rather than trunk's
// inline loader, because a strict Content-Security-Policy forbids inline scripts.
//
// Startup (issue 9): every download starts at once, here, rather than one after the other.
// The wasm is fetched while the bindings load, and the meeting data is preloaded so the
// app's own request for it is answered from the preload.
const base = new URL('.', import.meta.url);
const at = (file) => new URL(file, base).href;
// Compiled as it streams in, while the bindings load (the server sends application/wasm).
const wasm = WebAssembly.compileStreaming(fetch(at('tilmelding_bg.wasm')));

const head = document.head;
const link = (rel, href, extra) => {
    const l = Object.assign(document.createElement('link'), { rel, href }, extra);
    head.append(l);
    return l;
};
const meeting = document.getElementById('tilmelding')?.dataset.meetingUrl;
if (meeting) {
    link('preload', new URL(meeting.trim(), document.baseURI).href, { as: 'fetch', crossOrigin: 'anonymous' });
}
if (!document.querySelector('link[data-tilmelding-css]')) {
    link('stylesheet', at('tilmelding.css')).dataset.tilmeldingCss = '';
}
const { default: init } = await import(at('tilmelding.js'));
await init({ module_or_path: wasm });
