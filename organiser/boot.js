// Starts the organiser page (trunk's own loader would be an inline script, which the server's
// Content-Security-Policy forbids).
import init from './tilmelding-organiser.js';
init();
