// tilmelding loader: <script type="module" src="https://WIDGET-ORIGIN/embed.js"></script> next to
// <div id="tilmelding" data-…> (or any number of <div data-tilmelding data-…>). It gives each such
// element an open shadow root with the widget's stylesheet and a loading text, fetches the
// bindings and the wasm from its own origin, all at once, and preloads each meeting's data.
// It never touches anything outside those elements.
//
// Plain JavaScript on purpose: it must speak when the wasm cannot run (no WebAssembly, a CSP
// without 'wasm-unsafe-eval', a failed download), so its few texts live here, not in the app.
const HOSTS = '#tilmelding, [data-tilmelding]';
const README = 'see the README, "Embedding in a web page"';
const base = new URL('.', import.meta.url);
const at = (file) => new URL(file, base).href;

const TEXTS = {
    da: {
        loading: 'Henter tilmeldingen …',
        failed: 'Tilmeldingen kan ikke vises her.',
        open: 'Åbn tilmeldingen i et nyt vindue',
        write: 'eller skriv til arrangøren',
    },
    en: {
        loading: 'Loading the registration …',
        failed: 'The registration cannot be shown here.',
        open: 'Open the registration in a new window',
        write: 'or write to the organiser',
    },
};
const texts = (host) => TEXTS[(host.dataset.lang || '').trim().toLowerCase().startsWith('en') ? 'en' : 'da'];

// The meeting's data file as the app reads it (src/config.rs): a standalone page's
// `?meeting=<id>`, else the host's `data-meeting-url`.
const meetingUrl = (host) => {
    const id = new URLSearchParams(location.search).get('meeting');
    if (host.hasAttribute('data-standalone') && id && /^[a-z0-9-]+$/.test(id)) return `/meetings/${id}.json`;
    return (host.dataset.meetingUrl || '').trim();
};

// The standalone page for a host's meeting (it carries its own CSP): `?meeting=<id>`.
const standalone = (host) => {
    const url = new URL('./', base);
    const id = meetingUrl(host).split('/').pop().replace(/\.json$/, '');
    if (/^[a-z0-9-]+$/.test(id)) url.searchParams.set('meeting', id);
    return url.href;
};

// A page opened through a manage link (its fragment, or kept in the tab by an earlier load)
// gets the manage bundle; every other page the registration bundle, which does not carry the
// manage view. Manage links exist only with the reference backend.
const KEPT = 'tilmelding-manage';
const kept = () => {
    try {
        return !!sessionStorage.getItem(KEPT);
    } catch {
        return false; // storage refused (a locked-down browser): only the fragment counts
    }
};
// A manage link's token leaves the address bar before anything is fetched: kept in the tab,
// where the manage bundle reads it, so the host page's other scripts, its history and an
// address copied from the bar never hold it. Where storage is refused it stays in the
// fragment, which the bundle then reads (and removes) itself.
const moveToken = () => {
    const token = (location.hash.split(`${KEPT}=`)[1] || '').split('&')[0].trim();
    if (!token) return;
    try {
        sessionStorage.setItem(KEPT, token);
        history.replaceState(history.state, '', location.href.split('#')[0]);
    } catch {
        // storage refused: the bundle reads the fragment
    }
};
const managing = (hosts) => hosts.length > 0
    && hosts.every((h) => (h.dataset.backend || 'reference').trim() === 'reference')
    && (location.hash.includes(`${KEPT}=`) || kept());

// The meeting's widget pre-rendered beside its data file (`<id>.html`, `<id>.en.html`): the
// programme and the picker, shown while the wasm downloads. None for a meeting URL that is
// not a `.json` file; an older host without the file simply shows the loading text.
const prerendered = (host, en = texts(host) === TEXTS.en) => {
    const meeting = meetingUrl(host);
    if (!/\.json$/.test(meeting)) return Promise.resolve(null);
    const file = meeting.replace(/\.json$/, en ? '.en.html' : '.html');
    return fetch(new URL(file, document.baseURI), { mode: 'cors' })
        .then((r) => (r.ok ? r.text() : null))
        .catch(() => null);
};

// Shows the pre-rendered widget in place of the loading text, unless the app or its failure
// got there first. The app replaces it in one frame, keeping what was typed into the picker.
const show = (host, html, manage) => {
    const boot = host.shadowRoot.querySelector('.tlm-boot[role=status]');
    if (!boot || !html || !html.includes('data-tlm-prerendered')) return;
    boot.replaceWith(early(host, html, manage));
    // For `make bench` and real-user monitoring: the programme's first paint.
    requestAnimationFrame(() => performance.mark('tilmelding-programme'));
};

// The pre-rendered widget as elements. Its language switch works before the app does: it
// shows the other language's pre-rendered widget, keeping what was typed into the picker, and
// the app takes over in the language on screen (src/handover.rs).
const early = (host, html, manage) => {
    const t = document.createElement('template');
    t.innerHTML = html;
    // The manage view shows the submission, not the picker: only the programme goes early.
    if (manage) t.content.querySelector('.tlm-registration')?.remove();
    const root = t.content.firstElementChild;
    root.querySelector('.tlm-lang button')?.addEventListener('click', async () => {
        const other = await prerendered(host, root.lang !== 'en');
        if (!other || !root.isConnected || !root.hasAttribute('data-tlm-prerendered')) return;
        const next = early(host, other, manage);
        const [was, now] = [root, next].map((r) => r.querySelector('#tlm-kommune'));
        if (was && now) now.value = was.value;
        root.replaceWith(next);
        next.querySelector('.tlm-lang button').focus();
    });
    return root;
};

// Each host's pre-rendered widget, once shown (or known to be missing).
const shown = new Map();

// Gives the host its shadow root: the stylesheet and a loading text, replaced by the
// pre-rendered programme, then by the app.
const prepare = (host, manage) => {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    const sheet = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: at('tilmelding.css') });
    const boot = Object.assign(document.createElement('p'), { className: 'tlm-boot', textContent: texts(host).loading });
    boot.setAttribute('role', 'status');
    root.replaceChildren(sheet, boot);
    const meeting = meetingUrl(host);
    if (meeting) {
        const l = Object.assign(document.createElement('link'), {
            rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: new URL(meeting, document.baseURI).href,
        });
        if (!document.head.querySelector(`link[rel=preload][href="${l.href}"]`)) document.head.append(l);
    }
    const styled = new Promise((resolve) => { sheet.onload = sheet.onerror = resolve; });
    // Unstyled markup would flash: the programme waits for the stylesheet.
    shown.set(host, Promise.all([prerendered(host), styled]).then(([html]) => show(host, html, manage)));
    return styled;
};

// The app could not start: say so inside the element, with a way to register all the same.
const fail = (host, cause) => {
    const root = host.shadowRoot;
    if (!root || root.querySelector('.tlm-root:not([data-tlm-prerendered])')) return;
    const pre = root.querySelector('[data-tlm-prerendered]');
    // In the language on screen, which the visitor may have switched.
    const t = pre ? TEXTS[pre.lang === 'en' ? 'en' : 'da'] : texts(host);
    const box = Object.assign(document.createElement('div'), { className: 'tlm-boot' });
    box.setAttribute('role', 'alert');
    const p = Object.assign(document.createElement('p'), { textContent: t.failed + ' ' });
    const open = Object.assign(document.createElement('a'), { href: standalone(host), target: '_blank', rel: 'noopener', textContent: t.open });
    p.append(open);
    const contact = (host.dataset.contact || '').trim();
    if (contact) {
        const mail = Object.assign(document.createElement('a'), { href: 'mailto:' + contact, textContent: contact });
        p.append(` ${t.write}: `, mail);
    }
    p.append('.');
    box.append(p);
    // Below a pre-rendered programme, in place of its picker, which cannot work without the app.
    const picker = pre && root.getElementById('tlm-kommune');
    if (picker) picker.closest('.tlm-registration').replaceWith(box);
    else if (pre) pre.append(box);
    else root.querySelector('.tlm-boot')?.replaceWith(box);
    // No app will take its place now: it is the widget as it stays, without the language
    // switch, whose other language would bring the picker back.
    pre?.removeAttribute('data-tlm-prerendered');
    pre?.querySelector('.tlm-lang')?.remove();
    console.error(`tilmelding: the widget could not start: ${cause} (${README}).`);
};

// What went wrong, in words an editor can act on.
const why = (e) => {
    const text = String(e && e.message || e);
    if (typeof WebAssembly !== 'object') return 'this browser has no WebAssembly';
    if (/Content Security Policy|unsafe-eval|wasm-eval/i.test(text)) return "the page's Content-Security-Policy lacks 'wasm-unsafe-eval' in script-src";
    if (e instanceof TypeError && /fetch|import|module/i.test(text)) return `a download failed (${text})`;
    return text;
};

// Loaded twice (a template and an editor both include it under different URLs): run once.
if (!window.__tilmelding) {
    moveToken();
    const hosts = [...document.querySelectorAll(HOSTS)];
    if (!hosts.length) {
        console.error(`tilmelding: this page has no element with id="tilmelding" or a data-tilmelding attribute, so the widget shows nowhere (${README}).`);
    }
    const manage = managing(hosts);
    const bundle = manage ? 'manage/tilmelding-manage' : 'tilmelding';
    const ready = Promise.all(hosts.map((h) => prepare(h, manage)));
    window.__tilmelding = (async () => {
        if (!hosts.length) return;
        try {
            if (typeof WebAssembly !== 'object') throw new Error('no WebAssembly');
            // Streaming compilation needs the application/wasm type; other servers get a plain
            // compile.
            const wasm = fetch(at(`${bundle}_bg.wasm`)).then((r) => {
                if (!r.ok) throw new TypeError(`fetch ${bundle}_bg.wasm: ${r.status}`);
                return (r.headers.get('content-type') || '').startsWith('application/wasm')
                    ? WebAssembly.compileStreaming(r)
                    : r.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
            });
            const [{ default: init }] = await Promise.all([import(at(`${bundle}.js`)), ready]);
            return await init({ module_or_path: await wasm });
        } catch (e) {
            const cause = why(e);
            // The message goes below the programme when that is on its way.
            await Promise.all(hosts.map((h) => shown.get(h)));
            hosts.forEach((h) => fail(h, cause));
        }
    })();
}
