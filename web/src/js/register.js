/*
 * register.js — registration of a household (or a single person, or a
 * group travelling together): the case and its members, every field drawn
 * from the case table of GET /api/v1/schema (members → person →
 * documents, contact, vulnerabilities are nested tables there).
 *
 * The form starts with one member, the principal applicant; "Add member"
 * adds more. It is sent once as POST /api/v1/cases with an
 * Idempotency-Key made when the form opened, so a retry after a dropped
 * connection can never register the household twice. A 422 answer puts
 * each message on its field (members[1].person.date_of_birth…); a
 * household that looks wrong (a child older than the principal…) can be
 * confirmed and sent again (form.js, Confirmations).
 */

function RegisterPage() {
  var idem = useRef(randomKey());
  if (!S.schema) return html`<main id="main"><h1 tabindex="-1">${t('register.title')}</h1><${Status} loading=${true} /></main>`;
  /* The office and the assigned case worker are chosen from lists (the
   * offices the user works in, that office's staff): their "source" in
   * the field table. */
  var offices = myOffices();
  var ctx = {
    nested: { members: { skip: ['person_id'] } },
  };
  var initial = {
    office: offices.length === 1 ? offices[0].code : '',
    members: [{ relationship: 'principal', person: {} }],
  };
  return html`<main id="main">
    <h1 tabindex="-1">${t('register.title')}</h1>
    <p class="muted">${t('register.intro')}</p>
    <${SchemaForm} fields=${S.schema.case} initial=${initial} ctx=${ctx}
      submitLabel=${t('register.submit')}
      after=${function (v) { return html`<${DuplicateHint} value=${v} />`; }}
      submit=${function (body) { return api('POST', '/cases', body, { idem: idem.current }); }}
      done=${function (r) { navigate('/cases/' + r.data.id); }} />
  </main>`;
}
