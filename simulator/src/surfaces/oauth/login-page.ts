import type { PendingAuthorization } from '../../domain/identity/auth-service';

export interface PatientChoice {
  nhsNumber: string;
  label: string;
}

/** A signed-in user with roles at several organisations, asked which one to work in. */
export interface RoleChoice {
  username: string;
  roles: { id: string; label: string }[];
}

/**
 * A signed-in user on a device their practice does not yet trust, asked for the one-time
 * passcode just e-mailed to them; `carried` keeps the sign-in's choices across the step.
 */
export interface DeviceStep {
  username: string;
  sentTo: string;
  carried: Record<string, string>;
}

export interface LoginPageModel {
  pending: PendingAuthorization;
  /** Who is launching (EHR launch): the user is already signed in to the clinical system. */
  launchUser?: string;
  launchPatient?: string;
  /** Standalone launch: the login form and the patient picker. */
  defaultUsername?: string;
  patients: PatientChoice[];
  roleChoice?: RoleChoice;
  deviceStep?: DeviceStep;
  error?: string;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function hidden(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`;
}

/** The login and consent page: a plain server-rendered form (no scripts, no CDN). */
export function renderLoginPage(model: LoginPageModel): string {
  const { pending } = model;
  const params = pending.params;
  const hiddenFields = Object.entries(params)
    .map(([name, value]) => hidden(name, value as string | undefined))
    .join('');
  const scopes = pending.scopes.map((scope) => `<li><code>${escape(scope)}</code></li>`).join('');
  const device = model.deviceStep;
  const who = device
    ? `<p>Signed in as <strong>${escape(device.username)}</strong> on a device this practice does not yet trust. A one-time passcode was sent to <strong>${escape(device.sentTo)}</strong>.</p>
${hidden('username', device.username)}
${Object.entries(device.carried)
  .map(([name, value]) => hidden(name, value))
  .join('')}
<label>Passcode <input name="device_passcode" inputmode="numeric" autocomplete="one-time-code" maxlength="12"></label>`
    : model.roleChoice
      ? `<p>Signed in as <strong>${escape(model.roleChoice.username)}</strong>. Choose the role to work in:</p>
${hidden('username', model.roleChoice.username)}
<label>Role <select name="selected_roleid">${model.roleChoice.roles
          .map((role) => `<option value="${escape(role.id)}">${escape(role.label)}</option>`)
          .join('')}</select></label>`
      : model.launchUser === undefined
        ? `<label>Username <input name="username" autocomplete="username" required value="${escape(model.defaultUsername ?? '')}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>`
        : `<p>Signed in as <strong>${escape(model.launchUser)}</strong>${
            model.launchPatient === undefined ? '' : `, with <strong>${escape(model.launchPatient)}</strong> selected`
          }.</p>`;
  const picker =
    model.patients.length === 0 || device
      ? ''
      : `<label>Patient <select name="patient">${model.patients
          .map((choice) => `<option value="${escape(choice.nhsNumber)}">${escape(choice.label)}</option>`)
          .join('')}</select></label>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>gpsim sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto}label{display:block;margin:.5rem 0}.error{color:#b00}</style>
</head>
<body>
<h1>gpsim sign in</h1>
${model.error === undefined ? '' : `<p class="error" role="alert">${escape(model.error)}</p>`}
<form method="post" action="/oauth/authorize">
${hiddenFields}
${who}
${picker}
<p><strong>${escape(pending.client.clientId)}</strong> asks for:</p>
<ul>${scopes}</ul>
<button type="submit" name="gpsim_decision" value="approve">Allow</button>
<button type="submit" name="gpsim_decision" value="deny">Deny</button>
</form>
</body>
</html>`;
}
