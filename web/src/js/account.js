/*
 * account.js — "My account": who I am, the interface language, and the
 * second factor (a one-time code from an authenticator app at sign-in).
 *
 * Language: the choice is saved for the account with PATCH /api/v1/me
 * (setLang in core.js), so it follows the user to any browser.
 *
 * Second factor, in two steps as the server enrols it:
 *   1. the password typed again → POST /api/v1/me/second-factor, which
 *      answers the new secret once: {secret, otpauth_uri}. The secret is
 *      shown in groups of four characters (easier to type into an app by
 *      hand) and the otpauth:// address as text to copy (no QR library:
 *      every authenticator app accepts a typed key);
 *   2. the 6-digit code the app then shows → POST …/second-factor/confirm;
 *      a wrong code is a 422 on the field "code", shown on the field.
 * From then on every sign-in asks for a code. Removing it is an
 * administrator's task (the server answers 409 to a second set-up).
 *
 * When the user's role requires a second factor and none is set up
 * (must_set_up_second_factor in /me or the sign-in answer), main.js keeps
 * the user here; after the confirmation the session is loaded again and
 * the rest of the interface opens.
 */

/* "M3TK32EB…" → "M3TK 32EB …" */
function groupSecret(s) {
  return String(s || '').replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

function SecondFactor() {
  var pw = useState(''), code = useState('');
  var secret = useState(null); /* {secret, otpauth_uri} between the two steps */
  var res = useState(null);    /* the last refused answer */
  var busy = useState(false);
  var done = useState(false);
  var codeRef = useRef(null);
  var errRef = useRef(null);

  async function begin(e) {
    e.preventDefault();
    busy[1](true);
    var r = await api('POST', '/me/second-factor', { password: pw[0] });
    busy[1](false);
    pw[1]('');
    if (r.ok) {
      res[1](null);
      secret[1](r.data);
      setTimeout(function () { var h = document.getElementById('tfa-step2'); if (h) h.focus(); }, 0);
    } else {
      res[1](r);
      setTimeout(function () { if (errRef.current) errRef.current.focus(); }, 0);
    }
  }

  async function confirm(e) {
    e.preventDefault();
    busy[1](true);
    var r = await api('POST', '/me/second-factor/confirm', { code: code[0].replace(/\s+/g, '') });
    busy[1](false);
    if (r.ok) {
      var was = S.me.must_set_up_second_factor;
      res[1](null);
      secret[1](null);
      done[1](true);
      S.me = Object.assign({}, S.me, r.data, { must_set_up_second_factor: false });
      rerender(); /* the whole page: the "required" notice goes at once */
      if (was) { await loadSession(); rerender(); }
      return;
    }
    res[1](r);
    setTimeout(function () { if (codeRef.current) codeRef.current.focus(); }, 0);
  }

  var r = res[0];
  var codeErr = r && r.data && r.data.errors ? errorMap(r).code : null;
  var alert = r && !codeErr ? html`<p class="alert" role="alert" tabindex="-1" ref=${errRef}>${
    r.status === 403 && problemType(r) === 'forbidden' && secret[0] == null ? t('account.tfa_wrong_password') : problemText(r)}</p>` : null;

  if (S.me.second_factor) {
    return html`<section class="card" aria-labelledby="tfa-h">
      <h2 id="tfa-h">${t('account.tfa')}</h2>
      ${done[0] ? html`<p class="ok" role="status">${t('account.tfa_done')}</p>` : null}
      <p><span class="count good">${t('account.tfa_on')}</span></p>
      <p>${t('account.tfa_on_text')}</p>
      ${done[0] && homePath() !== '/account' ? html`<p><${Link} class="button" href=${homePath()}>${t('account.continue')}</${Link}></p>` : null}
    </section>`;
  }
  return html`<section class="card" aria-labelledby="tfa-h">
    <h2 id="tfa-h">${t('account.tfa')}</h2>
    <p><span class="count bad">${t('account.tfa_off')}</span></p>
    <p>${t('account.tfa_intro')}</p>
    ${alert}
    ${!secret[0] ? html`<form onSubmit=${begin} class="narrow" aria-labelledby="tfa-h">
      <div class="field"><label for="tfa-password">${t('account.tfa_password')}</label>
        <input id="tfa-password" type="password" autocomplete="current-password" required dir="ltr"
          value=${pw[0]} onInput=${function (e) { pw[1](e.target.value); }} aria-describedby="tfa-password-hint" />
        <p class="hint" id="tfa-password-hint">${t('account.tfa_password_hint')}</p></div>
      <button type="submit" disabled=${busy[0] || !pw[0]}>${t('account.tfa_start')}</button>
    </form>` : html`<div class="tfa-setup">
      <h3 id="tfa-step2" tabindex="-1">${t('account.tfa_step2')}</h3>
      <p>${t('account.tfa_key_text')}</p>
      <p class="secret" dir="ltr"><code id="tfa-secret" aria-label=${t('account.tfa_key')}>${groupSecret(secret[0].secret)}</code></p>
      <p class="hint">${t('account.tfa_key_hint')}</p>
      <details><summary>${t('account.tfa_uri')}</summary>
        <p class="uri" dir="ltr"><code id="tfa-uri">${secret[0].otpauth_uri}</code></p></details>
      <form onSubmit=${confirm} class="narrow" noValidate>
        <div class=${'field' + (codeErr ? ' invalid' : '')}><label for="tfa-code">${t('account.tfa_code')}</label>
          <input id="tfa-code" ref=${codeRef} inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*"
            maxlength="7" required dir="ltr" value=${code[0]} onInput=${function (e) { code[1](e.target.value); }}
            aria-invalid=${codeErr ? 'true' : undefined}
            aria-describedby=${'tfa-code-hint' + (codeErr ? ' tfa-code-err' : '')} />
          <p class="hint" id="tfa-code-hint">${t('login.otp_hint')}</p>
          ${codeErr ? html`<p class="err" id="tfa-code-err">${codeErr}</p>` : null}</div>
        <div class="actions">
          <button type="submit" disabled=${busy[0]}>${t('account.tfa_confirm')}</button>
          <button type="button" class="secondary" onClick=${function () { secret[1](null); res[1](null); code[1](''); }}>${t('common.cancel')}</button>
        </div>
      </form>
    </div>`}
  </section>`;
}

function AccountPage() {
  var me = S.me;
  return html`<main id="main" class="account">
    <h1 tabindex="-1">${t('account.title')}</h1>
    ${me.must_set_up_second_factor ? html`<p class="alert" role="alert">${t('account.tfa_required')}</p>` : null}
    <div class="account-grid">
      <section class="card" aria-labelledby="me-h">
        <h2 id="me-h">${t('account.profile')}</h2>
        <dl class="kv">
          <div><dt>${t('user.username')}</dt><dd><bdi>${me.username}</bdi></dd></div>
          ${me.full_name ? html`<div><dt>${t('user.full_name')}</dt><dd><bdi>${me.full_name}</bdi></dd></div>` : null}
          <div><dt>${t('user.roles')}</dt><dd>${me.roles.map(tv).join(', ')}</dd></div>
          ${me.offices && me.offices.length ? html`<div><dt>${t('user.offices')}</dt><dd>${me.offices.map(officeName).join(', ')}</dd></div>` : null}
          ${me.organisation ? html`<div><dt>${t('account.organisation')}</dt><dd><bdi>${me.organisation}</bdi></dd></div>` : null}
        </dl>
      </section>
      <section class="card" aria-labelledby="lang-h">
        <h2 id="lang-h">${t('account.language')}</h2>
        <div class="field narrow"><label for="account-lang">${t('account.language_label')}</label>
          <select id="account-lang" value=${S.lang} aria-describedby="account-lang-hint"
            onChange=${function (e) { setLang(e.target.value); }}>
            ${LANGS.map(function (l) {
              return html`<option value=${l} lang=${l}>${{ ar: 'العربية', fr: 'Français', en: 'English' }[l]}</option>`;
            })}
          </select>
          <p class="hint" id="account-lang-hint">${t('account.language_hint')}</p></div>
      </section>
      <${SecondFactor} />
    </div>
  </main>`;
}
