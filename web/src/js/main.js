/*
 * main.js — the application shell: header with navigation, language and
 * sign-out, the route table, focus handling, and start-up.
 *
 * Routes are real paths (the server answers index.html for any path
 * without a file extension): /, /cases, /cases/new, /cases/<id>,
 * /referrals (partners), /figures (donors, M&E, managers), /account,
 * /admin/restrictions, /admin/offices, /admin/users, /admin/partners,
 * /movements, /movements/<id>, /movements/<id>/manifest (movement.read),
 * /reintegration and /cases/<id>/reintegration (plan.read), /activities
 * (followup.read), /projects, /projects/<id>, /budget-lines/<id>
 * (project.read; the money itself ledger.read), /reports and
 * /projects/<id>/report (reintegration.report), /login. Each user
 * starts at homePath(): partners and donors never see a case screen, and
 * a user whose role needs a second factor not yet set up is kept on
 * /account until it is (the server refuses everything else). After each
 * navigation the focus moves to the page's <h1>, so keyboard and screen
 * reader users start at the top of the new page; a skip link jumps over
 * the navigation.
 *
 * On a phone (below 720 px) the header is one line: the name and a Menu
 * button that opens the navigation, the language and the account (closed
 * again by any navigation), so the page starts near the top of the screen.
 * In Arabic the brand shows عودة once: the name is the logo.
 */

var ROUTES = [
  [/^\/$/, function () { return html`<${DashboardPage} />`; }],
  [/^\/cases$/, function () { return html`<${CaseListPage} />`; }],
  [/^\/cases\/new$/, function () { return html`<${RegisterPage} />`; }],
  [/^\/cases\/([0-9a-fA-F-]{36})$/, function (m) { return html`<${CasePage} key=${m[1]} id=${m[1]} />`; }],
  [/^\/admin\/(restrictions|offices|users|partners)$/, function (m) { return html`<${AdminPage} tab=${m[1]} />`; }],
  [/^\/referrals$/, function () { return html`<${ReferralsPage} />`; }],
  [/^\/figures$/, function () { return html`<${FiguresPage} />`; }],
  [/^\/account$/, function () { return html`<${AccountPage} />`; }],
  [/^\/movements$/, function () { return html`<${MovementListPage} />`; }],
  [/^\/movements\/([0-9A-Za-z_-]{1,64})$/, function (m) { return html`<${MovementPage} key=${m[1]} id=${m[1]} />`; }],
  [/^\/movements\/([0-9A-Za-z_-]{1,64})\/manifest$/, function (m) { return html`<${ManifestPage} key=${m[1]} id=${m[1]} />`; }],
  /* reintegration and money (reintegration.js, money.js, followup.js) */
  [/^\/reintegration$/, function () { return html`<${ReintegrationListPage} />`; }],
  [/^\/cases\/([0-9a-fA-F-]{36})\/reintegration$/, function (m) { return html`<${ReintegrationPage} key=${m[1]} id=${m[1]} />`; }],
  [/^\/activities$/, function () { return html`<${ActivityListPage} />`; }],
  [/^\/projects$/, function () { return html`<${ProjectListPage} />`; }],
  [/^\/projects\/([0-9A-Za-z_-]{1,64})$/, function (m) { return html`<${ProjectPage} key=${m[1]} id=${m[1]} />`; }],
  [/^\/projects\/([0-9A-Za-z_-]{1,64})\/report$/, function (m) { return html`<${ReportPage} key=${m[1]} id=${m[1]} />`; }],
  [/^\/reports$/, function () { return html`<${ReportsPage} />`; }],
  [/^\/budget-lines\/([0-9A-Za-z_-]{1,64})$/, function (m) { return html`<${BudgetLinePage} key=${m[1]} id=${m[1]} />`; }],
  /* merge room: the review queue of possible duplicates (duplicatereview.js) */
  [/^\/duplicates$/, function () { return html`<${DuplicateReviewPage} key=${location.search} />`; }],
  [/^\/imports$/, function () { return html`<${ImportsPage} />`; }], /* imp (imports.js) */
];

/* Administration: the restrictions for those who manage them (and
 * administrators, who read them), offices, users and partners for those
 * who manage those. */
function canAdmin() {
  return may('restriction.manage') || may('user.manage');
}

function Header() {
  var path = location.pathname;
  var menu = useState(null); /* the path the menu was opened on */
  var open = menu[0] === path;
  var name = t('app.name');
  async function logout() {
    await api('DELETE', '/session');
    S.me = null;
    navigate('/login', true);
  }
  var links = [];
  var gated = S.me.must_set_up_second_factor;
  if (!gated && isStaff()) links.push(['/', t('nav.dashboard')], ['/cases', t('nav.cases')]);
  if (!gated && may('case.create')) links.push(['/cases/new', t('nav.register')]);
  if (!gated && may('movement.read')) links.push(['/movements', t('nav.movements')]);
  if (!gated && may('import.run')) links.push(['/imports', t('nav.imports')]); /* imp */
  /* reintegration and money */
  if (!gated && isStaff() && may('plan.read')) links.push(['/reintegration', t('nav.reintegration')]);
  if (!gated && isStaff() && may('followup.read')) links.push(['/activities', t('nav.activities')]);
  if (!gated && may('project.read')) links.push(['/projects', t('nav.projects')]);
  if (!gated && may('reintegration.report')) links.push(['/reports', t('nav.reports')]);
  if (!gated && may('referral.read')) links.push(['/referrals', t('nav.referrals')]);
  if (!gated && canSeeFigures()) links.push(['/figures', t('nav.figures')]);
  if (!gated && may('duplicate.review')) links.push(['/duplicates', t('nav.duplicates')]); /* merge room */
  if (!gated && canAdmin()) links.push(['/admin/restrictions', t('nav.admin')]);
  return html`<header class="top">
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <div class="brand">${name === 'عودة' ? html`<span class="logo">عودة</span>`
      : html`<span class="logo" aria-hidden="true">عودة</span> <span>${name}</span>`}</div>
    <button type="button" class="menu-toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls="top-menu"
      onClick=${function () { menu[1](open ? null : path); }}><span aria-hidden="true">☰</span> ${t('nav.menu')}</button>
    <div id="top-menu" class=${'menu' + (open ? ' open' : '')}>
    <nav aria-label=${t('nav.label')}><ul>
      ${links.map(function (l) {
        var cur = l[0] === '/cases' ? path === '/cases' || /^\/cases\/[0-9a-fA-F-]{36}$/.test(path)
          : l[0].indexOf('/admin') === 0 ? path.indexOf('/admin') === 0
          : l[0] === '/movements' ? path.indexOf('/movements') === 0
          : l[0] === '/projects' ? (path.indexOf('/projects') === 0 && !/\/report$/.test(path)) || path.indexOf('/budget-lines') === 0
          : l[0] === '/reports' ? path === l[0] || /^\/projects\/[^/]+\/report$/.test(path)
          : l[0] === '/reintegration' ? path === l[0] || /\/reintegration$/.test(path) : path === l[0];
        return html`<li><${Link} href=${l[0]} current=${cur}>${l[1]}</${Link}></li>`;
      })}
    </ul></nav>
    <div class="user">
      <${LangSwitch} />
      <${Link} href="/account" class="who" current=${path === '/account'}>
        <span class="sr-only">${colon(t('nav.account'))}</span>${S.me.full_name || S.me.username}</${Link}>
      <button type="button" class="secondary small" onClick=${logout}>${t('nav.logout')}</button>
    </div>
    </div>
  </header>`;
}

function App() {
  var st = useState(0);
  rerenderHook = st[1];
  var path = location.pathname;
  var first = useRef(true);
  useEffect(function () {
    /* A fresh load starts at the top of the document (the skip link); a
     * navigation inside the app starts at the new page's heading. */
    if (first.current) { first.current = false; return; }
    var h1 = document.querySelector('main h1');
    if (h1) h1.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);
  if (!S.me || path === '/login') {
    if (S.me && path === '/login') { navigate('/', true); return null; }
    return html`<${LoginPage} />`;
  }
  if (S.me.must_set_up_second_factor && path !== '/account') { navigate('/account', true); return null; }
  if (path === '/' && !isStaff()) { navigate(homePath(), true); return null; }
  var page = null;
  for (var i = 0; i < ROUTES.length && !page; i++) {
    var m = ROUTES[i][0].exec(path);
    if (m) page = ROUTES[i][1](m);
  }
  if (!page) page = html`<main id="main"><h1 tabindex="-1">${t('error.not_found')}</h1>
    <p><${Link} href="/">${t('nav.dashboard')}</${Link}></p></main>`;
  return html`<${Fragment}><${Header} />${page}</${Fragment}>`;
}

window.addEventListener('popstate', rerender);

(async function start() {
  await loadLang(initialLang());
  var ok = await loadSession();
  if (!ok && location.pathname !== '/login') {
    var next = location.pathname !== '/' ? '?next=' + encodeURIComponent(location.pathname + location.search) : '';
    history.replaceState(null, '', '/login' + next);
  }
  preact.render(html`<${App} />`, document.getElementById('app'));
})();
