import { h } from './dom.js';

/** A control API error in its one JSON shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let signingIn: Promise<void> | undefined;

/**
 * Every call the console makes goes through here. When gpsim is bound beyond localhost the control
 * API asks for the admin token (401 ADMIN_TOKEN_REQUIRED): the console asks for it once, posts it to
 * /__sim/session (which sets an HttpOnly cookie) and retries.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers:
        init.body === undefined
          ? { Accept: 'application/json' }
          : { 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    const json = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (response.ok) return json as T;
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && error?.code === 'ADMIN_TOKEN_REQUIRED' && attempt < 3) {
      signingIn ??= signIn(error.message ?? '').finally(() => (signingIn = undefined));
      await signingIn;
      continue;
    }
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `${response.status} from ${path}`);
  }
}

function signIn(message: string): Promise<void> {
  return new Promise((resolve) => {
    const input = h('input', { id: 'admin-token', type: 'password', autocomplete: 'current-password', required: true });
    const problem = h('p', { class: 'error', role: 'alert' });
    const dialog = h(
      'dialog',
      { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
      h(
        'form',
        {
          onsubmit: ((event: Event) => {
            event.preventDefault();
            void fetch('/__sim/session', {
              method: 'POST',
              credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ token: input.value }),
            }).then((response) => {
              if (!response.ok) {
                problem.textContent = 'That token was not accepted. Check the --admin-token gpsim was started with.';
                return;
              }
              dialog.close();
              dialog.remove();
              resolve();
            });
          }) as EventListener,
        },
        h('h2', { id: 'sign-in-title' }, 'Sign in to the gpsim console'),
        h('p', {}, message || 'This gpsim listens beyond localhost, so the console needs its admin token.'),
        h('p', { class: 'hint' }, 'It is the value given to gpsim with --admin-token (or GPSIM_ADMIN_TOKEN).'),
        h('label', { for: 'admin-token' }, 'Admin token'),
        input,
        problem,
        h('button', { type: 'submit' }, 'Sign in'),
      ),
    );
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}
