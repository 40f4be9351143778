// tilmelding loader: <script type="module" src="https://WIDGET-ORIGIN/embed.js"></script> next to
// <div id="tilmelding" data-…>. Fetches the stylesheet, bindings and wasm from its own origin, all
// at once, and preloads the meeting data (README: "Embedding", "Performance").
const base = new URL('.', import.meta.url);
const at = (file) => new URL(file, base).href;
// Streaming compilation needs the application/wasm type; other servers get a plain compile.
const wasm = fetch(at('tilmelding_bg.wasm')).then((r) =>
    (r.headers.get('content-type') || '').startsWith('application/wasm')
        ? WebAssembly.compileStreaming(r)
        : r.arrayBuffer().then((bytes) => WebAssembly.compile(bytes)));
const link = (rel, href, extra) => {
    const l = Object.assign(document.createElement('link'), { rel, href }, extra);
    document.head.append(l);
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
