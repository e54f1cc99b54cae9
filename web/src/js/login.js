/*
 * login.js — the sign-in screen.
 *
 * POST /api/v1/session {"username","password"} sets the session cookie.
 * When the account has a second factor the server answers 401 with the
 * problem type ".../otp-required": the form then shows a one-time-code
 * field and sends the same request with "otp". Any other failure is shown
 * above the form (too many attempts, wrong name or password).
 */

function LangSwitch() {
  return html`<label class="lang"><span class="sr-only">${t('nav.language')}</span>
    <select id="lang-select" value=${S.lang} onChange=${function (e) { setLang(e.target.value); }}>
      ${LANGS.map(function (l) {
        return html`<option value=${l} lang=${l}>${{ ar: 'العربية', fr: 'Français', en: 'English' }[l]}</option>`;
      })}
    </select></label>`;
}

function LoginPage() {
  var u = useState(''), p = useState(''), o = useState('');
  var need = useState(false);
  var err = useState(null);
  var busy = useState(false);
  var otpRef = useRef(null);
  async function submit(e) {
    e.preventDefault();
    busy[1](true);
    err[1](null);
    var body = { username: u[0], password: p[0] };
    if (need[0]) body.otp = o[0];
    var r = await api('POST', '/session', body);
    busy[1](false);
    if (r.ok) {
      await loadSession();
      navigate(query().next && query().next.charAt(0) === '/' ? query().next : '/', true);
      return;
    }
    if (problemType(r) === 'otp-required') {
      var first = !need[0];
      need[1](true);
      if (!first) err[1](problemText(r));
      setTimeout(function () { if (otpRef.current) otpRef.current.focus(); }, 0);
      return;
    }
    err[1](r.status === 401 ? t('login.failed') : problemText(r));
  }
  return html`<main id="main" class="login">
    <div class="card login-card">
      <div class="login-head"><h1 tabindex="-1">${t('login.title')}</h1><${LangSwitch} /></div>
      <p class="muted">${t('login.intro')}</p>
      ${err[0] ? html`<p class="alert" role="alert">${err[0]}</p>` : null}
      <form onSubmit=${submit}>
        <div class="field"><label for="login-user">${t('login.username')}</label>
          <input id="login-user" name="username" autocomplete="username" required dir="ltr"
            value=${u[0]} onInput=${function (e) { u[1](e.target.value); }} /></div>
        <div class="field"><label for="login-pass">${t('login.password')}</label>
          <input id="login-pass" name="password" type="password" autocomplete="current-password" required dir="ltr"
            value=${p[0]} onInput=${function (e) { p[1](e.target.value); }} /></div>
        ${need[0] ? html`<div class="field"><label for="login-otp">${t('login.otp')}</label>
          <input id="login-otp" name="otp" ref=${otpRef} inputmode="numeric" autocomplete="one-time-code"
            pattern="[0-9]*" maxlength="8" required dir="ltr" aria-describedby="login-otp-hint"
            value=${o[0]} onInput=${function (e) { o[1](e.target.value); }} />
          <p class="hint" id="login-otp-hint">${t('login.otp_hint')}</p></div>` : null}
        <button type="submit" disabled=${busy[0]}>${t('login.submit')}</button>
      </form>
    </div>
  </main>`;
}
