/*
 * form.js — forms drawn from the server's field tables.
 *
 * GET /api/v1/schema describes every entity (case, person, office, user,
 * restriction, and each record kind) as a list of fields: name, type,
 * required, server-owned, bounds, allowed values, label key, sensitivity,
 * nested fields. <Fields> walks such a list and draws one labelled control
 * per field, so a field added to a table on the server appears here
 * without new interface code:
 *
 *   string → text input      text → textarea      integer → number
 *   enum → select            flags → checkboxes   boolean → checkbox
 *   date → date input        datetime → datetime-local (sent as UTC "…Z")
 *   partial_date → text (YYYY, YYYY-MM or YYYY-MM-DD)
 *   country / nationality → select of countries named in the language
 *   languages → a picker: the chosen languages named in the interface
 *               language (Intl.DisplayNames), a searchable list (datalist)
 *               to add one; the API gets ISO 639 codes
 *   strings → comma-separated values
 *   string with values (procedure types) → select, translated
 *   object → fieldset        array → repeatable fieldsets with add/remove
 *
 * Where a field's choices come from other data, the table says so
 * ("source"): "offices" — the offices the user works in; "staff" — the
 * users of the office the form (or ctx.case) names, from GET
 * /offices/{code}/staff, "staff:<role>" only those with that role;
 * "destination_offices" — the offices in the case's destination country.
 * A date of birth gets an "or age" box beside it: an age fills an
 * estimated date (this year − age, precision "estimated").
 *
 * A field is marked required (*) as soon as it is: always (required), or
 * when its condition holds in the values typed so far (required_when:
 * the precision of a date of birth once a date is typed).
 *
 * Server-owned fields are not drawn. A caller can replace a field's
 * control with a list of choices (ctx.choices[name], a list or a function
 * of the object's values, e.g. the members of a case for person_id), give
 * the case the form is about (ctx.case) or leave fields out (ctx.skip).
 * ctx may itself be a function of the form's current values, for choices
 * that depend on another field (the partner organisations as the recipient
 * of a consent to share data, free text for medical data).
 *
 * Errors come from the server's problem+json: each {field, message} has a
 * path such as "members[1].person.date_of_birth"; the control with that
 * path shows the message (aria-invalid, aria-describedby), and a summary at
 * the top of the form links to each one, named by the field's translated
 * label ("Member 1 — Sex: sex is required"). A problem with a code the
 * translations know (err.<code>, or val.<code> for a warning) is shown in
 * the interface language, filled from its params.
 *
 * Warnings (problems whose code is a value of a field marked "confirm",
 * e.g. "a child older than the principal applicant") can be true: under
 * them the form offers "I confirm, this is correct", which sends the code
 * in that field (confirm_plausibility) with the next submit.
 */

function fieldId(path) {
  return 'f-' + path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-$/, '');
}

/* A problem's sentence in the interface language when its code is
 * translated, else the server's English. A number is formatted for the
 * language; an age (a parameter named age or …_age) is also given with its
 * unit as <name>_years ("1 an", "40 ans": person.age's plural forms), for
 * the languages whose word for years agrees with the number. */
function errText(e) {
  var key = e.code && (S.dict['err.' + e.code] != null ? 'err.' + e.code
    : S.dict['val.' + e.code] != null ? 'val.' + e.code : null);
  if (!key) return e.message;
  var params = {};
  Object.keys(e.params || {}).forEach(function (k) {
    var v = e.params[k];
    params[k] = typeof v === 'number' ? fmtNum(v) : v;
    if (typeof v === 'number' && /(^|_)age$/.test(k)) params[k + '_years'] = tn('person.age', v);
  });
  return t(key, params);
}

function errorMap(r) {
  var m = {};
  var list = (r && r.data && r.data.errors) || [];
  list.forEach(function (e) {
    m[e.field] = m[e.field] ? m[e.field] + '; ' + errText(e) : errText(e);
  });
  return m;
}

function isVisible(f, ctx) {
  return !f.server && !f.confirm && f.name !== 'id' && !(ctx && ctx.skip && ctx.skip.indexOf(f.name) >= 0);
}

/* Required now: always, or because of what is typed beside it. */
function isRequired(f, sib) {
  if (f.required) return true;
  var w = f.required_when;
  if (!w || !sib) return false;
  var v = sib[w.field];
  if (v == null || v === '' || (Array.isArray(v) && !v.length)) return false;
  return !w.values || w.values.indexOf(v) >= 0;
}

/* ---- choices from other data ------------------------------------------------ */

var STAFF = {}; /* office code → {items} | {loading} | {failed} */

function staffOf(office) {
  var s = STAFF[office];
  if (!s) {
    s = STAFF[office] = { loading: true };
    api('GET', '/offices/' + encodeURIComponent(office) + '/staff').then(function (r) {
      STAFF[office] = r.ok ? { items: r.data.items } : { failed: true };
      rerender();
    });
  }
  return s;
}

/* The offices a user may register cases in: theirs, or every office for
 * the roles that work across offices. */
function myOffices() {
  var mine = S.me && S.me.offices && S.me.offices.length ? S.me.offices : null;
  return S.offices.filter(function (o) { return !mine || mine.indexOf(o.code) >= 0; });
}

function officeChoice(o) { return { value: o.code, label: officeName(o.code) }; }

/* The choices of f from its source, or null to type the value. */
function sourceChoices(f, sib, ctx, value) {
  var src = f.source || '';
  var list = null;
  if (src === 'offices') {
    list = myOffices().map(officeChoice);
  } else if (src === 'destination_offices') {
    var dest = ctx.case && ctx.case.destination_country;
    list = S.offices.filter(function (o) { return !dest || o.country === dest; }).map(officeChoice);
  } else if (/^staff(:|$)/.test(src)) {
    var office = (sib && sib.office) || (ctx.case && ctx.case.office);
    if (!office) return null;
    var st = staffOf(office);
    if (st.failed) return null;
    var role = src.split(':')[1];
    list = (st.items || []).filter(function (u) { return !role || u.roles.indexOf(role) >= 0; })
      .map(function (u) { return { value: u.username, label: u.full_name ? u.full_name + ' (' + u.username + ')' : u.username }; });
  } else {
    return null;
  }
  /* a value set before (an old assignment) stays choosable */
  if (value && !list.some(function (o) { return o.value === value; })) list.push({ value: value, label: value });
  return list;
}

function choicesFor(f, sib, ctx) {
  var c = ctx.choices && ctx.choices[f.name];
  if (typeof c === 'function') return c(sib || {});
  if (c) return c;
  if (f.type === 'string' && f.values) return f.values.map(function (v) { return { value: v, label: tv(v) }; });
  return f.source ? sourceChoices(f, sib, ctx, sib && sib[f.name]) : null;
}

/* Local "YYYY-MM-DDTHH:MM" ↔ the API's UTC "YYYY-MM-DDTHH:MMZ". */
function localToUtc(v) {
  var d = new Date(v);
  return isNaN(d) ? v : d.toISOString().slice(0, 16) + 'Z';
}

function utcToLocal(v) {
  if (!v) return '';
  var d = new Date(v);
  if (isNaN(d)) return v;
  var p = function (n) { return (n < 10 ? '0' : '') + n; };
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' +
    p(d.getHours()) + ':' + p(d.getMinutes());
}

/* Form values for an existing object (edit forms). */
function formValues(fields, obj) {
  var v = {};
  fields.forEach(function (f) {
    if (f.server || obj == null || obj[f.name] == null) return;
    var x = obj[f.name];
    if (f.type === 'datetime') x = utcToLocal(x);
    else if (f.type === 'object' && f.fields) x = formValues(f.fields, x);
    else if (f.type === 'array' && f.fields) x = x.map(function (it) { return formValues(f.fields, it); });
    v[f.name] = x;
  });
  return v;
}

/* The API body for form values: empty optional fields left out, codes
 * split into arrays, local date-times turned into UTC. */
function cleanValues(fields, v, keepNull) {
  var out = {};
  fields.forEach(function (f) {
    if (f.server) return;
    var x = v[f.name];
    if (f.type === 'object' && f.fields) {
      var o = cleanValues(f.fields, x || {});
      if (Object.keys(o).length) out[f.name] = o;
      return;
    }
    if (f.type === 'array' && f.fields) {
      if (x && x.length) out[f.name] = x.map(function (it) { return cleanValues(f.fields, it); });
      return;
    }
    if (f.type === 'boolean' && x === undefined && f.required) x = false; /* an unticked box */
    if (x === undefined || x === '' || (Array.isArray(x) && !x.length && !f.required)) {
      if (keepNull && keepNull.indexOf(f.name) >= 0) out[f.name] = null;
      return;
    }
    if ((f.type === 'languages' || f.type === 'strings') && !Array.isArray(x)) {
      x = String(x).split(/[\s,]+/).filter(Boolean);
      if (f.type === 'languages') x = x.map(function (s) { return s.toLowerCase(); });
    } else if (f.type === 'datetime') {
      x = localToUtc(x);
    } else if (f.type === 'integer') {
      x = Number(x);
    }
    out[f.name] = x;
  });
  return out;
}

function countryChoices(nationality) {
  var list = COUNTRY3.map(function (c) { return { value: c, label: countryName(c) }; });
  if (nationality) list.push({ value: 'XXA', label: t('country.XXA') }, { value: 'XXX', label: t('country.XXX') });
  var coll = new Intl.Collator(S.lang);
  list.sort(function (a, b) { return coll.compare(a.label, b.label); });
  return list;
}

function Label(props) {
  var f = props.f;
  var req = props.required != null ? props.required : f.required;
  return html`${t(f.label)}${req ? html`<span class="req" aria-hidden="true"> *</span>` : null}${
    f.sensitivity === 'medical' || f.sensitivity === 'protection'
      ? html` <span class="sens">${t('sens.' + f.sensitivity)}</span>` : null}`;
}

function Control(props) {
  var f = props.f, path = props.path, value = props.value, set = props.set;
  var ctx = props.ctx || {};
  var id = fieldId(path);
  var err = props.errors[path];
  var errId = id + '-err';
  var req = isRequired(f, props.sib);
  var hintKey = f.type === 'partial_date' ? 'hint.partial_date'
    : f.type === 'strings' ? 'hint.strings' : null;
  var hintId = id + '-hint';
  var described = [err ? errId : null, hintKey ? hintId : null].filter(Boolean).join(' ') || undefined;
  var common = {
    id: id, name: path, 'aria-invalid': err ? 'true' : undefined,
    'aria-describedby': described, required: req,
  };
  var choices = choicesFor(f, props.sib, ctx);
  var input;
  var multi = ctx.multi && ctx.multi[f.name];
  if (f.type === 'flags' || multi) {
    var cur = Array.isArray(value) ? value : value ? String(value).split(/[\s,]+/).filter(Boolean) : [];
    var items = multi || (f.values || []).map(function (v) { return { value: v, label: tv(v) }; });
    return html`<fieldset class=${'field flags' + (err ? ' invalid' : '')} id=${id} aria-describedby=${err ? errId : undefined}>
      <legend><${Label} f=${f} required=${req} /></legend>
      <div class="checks">${items.map(function (o) {
        var v = o.value, on = cur.indexOf(v) >= 0;
        return html`<label class="check"><input type="checkbox" name=${path} value=${v} checked=${on}
          onChange=${function () { set(on ? cur.filter(function (x) { return x !== v; }) : cur.concat([v])); }} />
          ${o.label}</label>`;
      })}</div>
      ${err ? html`<p class="err" id=${errId}>${err}</p>` : null}
    </fieldset>`;
  }
  if (f.type === 'languages') {
    return html`<${LangPicker} f=${f} id=${id} path=${path} value=${value} set=${set} err=${err} required=${req} />`;
  }
  if (f.type === 'boolean') {
    return html`<div class=${'field boolean' + (err ? ' invalid' : '')}>
      <label class="check"><input type="checkbox" ...${common} required=${false} checked=${!!value}
        onChange=${function (e) { set(e.target.checked); }} /> <${Label} f=${f} required=${false} /></label>
      ${err ? html`<p class="err" id=${errId}>${err}</p>` : null}
    </div>`;
  }
  var onInput = function (e) { set(e.target.value); };
  if (choices || f.type === 'enum' || f.type === 'country' || f.type === 'nationality') {
    var opts = choices || (f.type === 'enum'
      ? f.values.map(function (v) { return { value: v, label: tv(v) }; })
      : countryChoices(f.type === 'nationality'));
    input = html`<select ...${common} value=${value || ''} onChange=${onInput}>
      <option value="">${t('common.choose')}</option>
      ${opts.map(function (o) { return html`<option value=${o.value}>${o.label}</option>`; })}
    </select>`;
  } else if (f.type === 'text') {
    input = html`<textarea ...${common} rows="3" maxlength=${f.max || undefined} value=${value || ''} onInput=${onInput}></textarea>`;
  } else {
    var type = { date: 'date', datetime: 'datetime-local', integer: 'number' }[f.type] || 'text';
    if (f.name === 'email') type = 'email';
    if (f.name === 'phone') type = 'tel';
    if (f.name === 'password') type = 'password';
    input = html`<input type=${type} ...${common} value=${value == null ? '' : value} onInput=${onInput}
      maxlength=${f.type === 'string' && f.max ? f.max : undefined}
      autocomplete=${f.name === 'password' ? 'new-password' : 'off'}
      dir=${f.type === 'partial_date' || type === 'email' || type === 'tel' ? 'ltr' : 'auto'} />`;
  }
  return html`<div class=${'field' + (err ? ' invalid' : '')}>
    <label for=${id}><${Label} f=${f} required=${req} /></label>
    ${input}
    ${hintKey ? html`<p class="hint" id=${hintId}>${t(hintKey)}</p>` : null}
    ${err ? html`<p class="err" id=${errId}>${err}</p>` : null}
  </div>`;
}

/* ---- languages -------------------------------------------------------------- */

/* "Arabic (ar)" in the interface language; the code alone when the
 * browser has no name for it. */
function languageOption(code) {
  var name = languageName(code);
  return name && name !== code ? name + ' (' + code + ')' : code;
}

/* The languages the picker offers, named and sorted in the interface
 * language (cached per language with the formatters); codes the browser
 * cannot name are left out of the list (they can still be typed). */
function languageOptions() {
  return cached('langopts', function () {
    var coll = new Intl.Collator(S.lang);
    return LANGS_ALL.filter(function (c) { return languageName(c) !== c; })
      .map(function (c) { return { code: c, label: languageOption(c) }; })
      .sort(function (a, b) { return coll.compare(a.label, b.label); });
  });
}

/* The codes typed or chosen in text ("Arabic (ar)", "ar, fr", "arabic"),
 * or null when a part matches no language. */
function parseLanguages(text) {
  var out = [];
  var parts = String(text).split(/[,،;]+/).map(function (x) { return x.trim(); }).filter(Boolean);
  for (var i = 0; i < parts.length; i++) {
    var low = parts[i].toLowerCase();
    var m = /\(([a-z]{2,3})\)$/.exec(low);
    var code = m ? m[1]
      : /^[a-z]{3}$/.test(low) || LANG2.indexOf(low) >= 0 ? low
      : (languageOptions().filter(function (o) {
        return languageName(o.code).toLowerCase() === low;
      })[0] || {}).code;
    if (!code) return null;
    if (out.indexOf(code) < 0) out.push(code);
  }
  return out;
}

/* The chosen languages as removable chips and a searchable box to add
 * one: typing filters the list (a datalist), choosing adds it; Enter or
 * leaving the box adds what was typed when it names languages. */
function LangPicker(props) {
  var f = props.f, id = props.id, set = props.set;
  var cur = Array.isArray(props.value) ? props.value
    : props.value ? String(props.value).split(/[\s,]+/).filter(Boolean) : [];
  var ds = useState(''), draft = ds[0], setDraft = ds[1];
  var ns = useState(false), nomatch = ns[0], setNomatch = ns[1];
  var listId = id + '-list', errId = id + '-err', hintId = id + '-hint', chipsId = id + '-chosen';
  var nomatchId = id + '-nomatch';
  var opts = languageOptions();
  function add(text) {
    var codes = parseLanguages(text);
    if (codes && codes.length) {
      set(cur.concat(codes.filter(function (c) { return cur.indexOf(c) < 0; })));
      setDraft('');
      setNomatch(false);
      return;
    }
    setNomatch(!!String(text).trim());
  }
  function onInput(e) {
    var v = e.target.value;
    setDraft(v);
    setNomatch(false);
    /* a choice from the list is added at once */
    if (opts.some(function (o) { return o.label === v; })) add(v);
  }
  var bad = props.err || nomatch;
  var described = [props.err ? errId : null, nomatch ? nomatchId : null, hintId, cur.length ? chipsId : null]
    .filter(Boolean).join(' ');
  return html`<div class=${'field langs' + (bad ? ' invalid' : '')}>
    <label for=${id}><${Label} f=${f} required=${props.required} /></label>
    ${cur.length ? html`<ul class="chips" id=${chipsId} aria-label=${t('lang.chosen')}>${cur.map(function (c) {
      return html`<li key=${c}><span lang=${c}>${languageOption(c)}</span>
        <button type="button" class="chip-x" aria-label=${colon(t('common.remove')) + languageName(c)}
          onClick=${function () { set(cur.filter(function (x) { return x !== c; })); }}>×</button></li>`;
    })}</ul>` : null}
    <input id=${id} name=${props.path} list=${listId} value=${draft} autocomplete="off"
      aria-invalid=${bad ? 'true' : undefined} aria-describedby=${described}
      required=${props.required && !cur.length} placeholder=${t('lang.placeholder')}
      onInput=${onInput} onChange=${function (e) { if (e.target.value) add(e.target.value); }}
      onKeyDown=${function (e) { if (e.key === 'Enter') { e.preventDefault(); add(e.target.value); } }} />
    <datalist id=${listId}>${opts.map(function (o) { return html`<option key=${o.code} value=${o.label}></option>`; })}</datalist>
    <p class="hint" id=${hintId}>${t('hint.languages')}</p>
    ${nomatch ? html`<p class="err" id=${nomatchId}>${t('lang.no_match', { text: draft })}</p>` : null}
    ${props.err ? html`<p class="err" id=${errId}>${props.err}</p>` : null}
  </div>`;
}

/* ---- an age instead of a date of birth ------------------------------------ */

/* The age that a date of birth estimated from an age gives back (this
 * year − its year), or '' when the date is not such an estimate. */
function estimatedAge(sib) {
  var dob = sib && sib.date_of_birth;
  if (!sib || sib.dob_precision !== 'estimated' || !/^\d{4}$/.test(dob || '')) return '';
  return String(new Date().getFullYear() - Number(dob));
}

/* "Or age in years": fills date_of_birth with this year − age and the
 * precision "estimated", then says "about 8 years (estimated)". */
function AgeInput(props) {
  var path = props.path, sib = props.sib || {}, setMany = props.setMany;
  var id = fieldId(path) + '-age';
  var est = estimatedAge(sib);
  var as = useState(est), typed = as[0], setTyped = as[1];
  /* the box follows the date: empty when a date was typed instead */
  var shown = est !== '' ? est : sib.date_of_birth ? '' : typed;
  function onInput(e) {
    var v = e.target.value;
    setTyped(v);
    var n = Number(v);
    if (v !== '' && Number.isInteger(n) && n >= 0 && n <= 120) {
      setMany({ date_of_birth: String(new Date().getFullYear() - n), dob_precision: 'estimated' });
    } else if (est !== '') {
      setMany({ date_of_birth: '', dob_precision: '' });
    }
  }
  return html`<div class="field age">
    <label for=${id}>${t('person.age_input')}</label>
    <input id=${id} type="number" min="0" max="120" step="1" inputmode="numeric" value=${shown}
      aria-describedby=${id + '-hint'} onInput=${onInput} />
    <p class="hint" id=${id + '-hint'}>${est !== '' ? fmtBirth(sib) : t('hint.age')}</p>
  </div>`;
}

function Fields(props) {
  var value = props.value || {};
  var ctx = props.ctx || {};
  function setField(name, v) {
    var next = Object.assign({}, value);
    next[name] = v;
    props.onChange(next);
  }
  function setMany(changes) {
    props.onChange(Object.assign({}, value, changes));
  }
  var hasPrecision = props.fields.some(function (f) { return f.name === 'dob_precision'; });
  return html`${props.fields.filter(function (f) { return isVisible(f, ctx); }).map(function (f) {
    var path = props.path ? props.path + '.' + f.name : f.name;
    var set = function (v) { setField(f.name, v); };
    if (f.type === 'object' && f.fields) {
      return html`<fieldset class="group" key=${f.name}><legend>${t(f.label)}</legend>
        <div class="grid"><${Fields} fields=${f.fields} value=${value[f.name]} path=${path}
          errors=${props.errors} ctx=${ctx.nested && ctx.nested[f.name]} onChange=${set} /></div></fieldset>`;
    }
    if (f.type === 'array' && f.fields) {
      return html`<${Repeat} key=${f.name} f=${f} path=${path} value=${value[f.name] || []}
        errors=${props.errors} ctx=${ctx.nested && ctx.nested[f.name]} set=${set} />`;
    }
    var control = html`<${Control} key=${f.name} f=${f} path=${path} value=${value[f.name]} set=${set}
      sib=${value} errors=${props.errors} ctx=${ctx} />`;
    if (f.name === 'date_of_birth' && hasPrecision) {
      return html`<${Fragment} key=${f.name}>${control}<${AgeInput} path=${path} sib=${value} setMany=${setMany} /></${Fragment}>`;
    }
    return control;
  })}`;
}

/* An array of sub-forms (documents of a person). */
function Repeat(props) {
  var f = props.f, items = props.value;
  function setAt(i, v) {
    var next = items.slice();
    next[i] = v;
    props.set(next);
  }
  var err = props.errors[props.path];
  var item = S.dict[f.label + '.item'] != null ? t(f.label + '.item') : t(f.label);
  return html`<fieldset class="group"><legend>${t(f.label)}</legend>
    ${err ? html`<p class="err">${err}</p>` : null}
    ${items.map(function (it, i) {
      return html`<div class="repeat" key=${i}>
        <h4>${item} ${fmtNum(i + 1)}</h4>
        <div class="grid"><${Fields} fields=${f.fields} value=${it} path=${props.path + '[' + i + ']'}
          errors=${props.errors} ctx=${props.ctx} onChange=${function (v) { setAt(i, v); }} /></div>
        <button type="button" class="link" onClick=${function () { props.set(items.filter(function (x, j) { return j !== i; })); }}>
          ${colon(t('common.remove'))}${item} ${fmtNum(i + 1)}</button>
      </div>`;
    })}
    <button type="button" class="secondary" onClick=${function () { props.set(items.concat([{}])); }}>
      ${colon(t('common.add'))}${item}</button>
  </fieldset>`;
}

/* The words for an error path over a field table, from the label keys:
 * "members[0].person.sex" → "Member 1 — Sex". An array item is named by
 * its item label and number; an object inside an item (the member's
 * person) adds nothing, other objects add their label. A path the table
 * does not know is left as it is. */
function pathLabel(fields, path) {
  var parts = [], list = fields, inItem = false;
  var segs = String(path).split('.');
  for (var i = 0; i < segs.length; i++) {
    var m = /^([^\[]+)(?:\[(\d+)\])?$/.exec(segs[i]);
    var f = m && list && list.filter(function (x) { return x.name === m[1]; })[0];
    if (!f) return parts.length ? parts.concat([segs.slice(i).join('.')]).join(' — ') : path;
    if (m[2] != null && f.type === 'array') {
      var item = S.dict[f.label + '.item'] != null ? t(f.label + '.item') : t(f.label);
      parts.push(item + ' ' + fmtNum(+m[2] + 1));
      inItem = true;
    } else if (f.type === 'object' && i < segs.length - 1) {
      if (!inItem) parts.push(t(f.label));
      inItem = false;
    } else {
      parts.push(t(f.label));
      inItem = false;
    }
    list = f.fields;
  }
  return parts.join(' — ');
}

/* The list of problems at the top of a form, each linking to its field
 * and named by the field's label. */
function ErrorSummary(props) {
  var r = props.result;
  if (!r || r.ok) return null;
  if (r.status === 412) return html`<${Conflict} reload=${props.reload} focusRef=${props.focusRef} />`;
  var errs = (r.data && r.data.errors) || [];
  return html`<div class="alert" role="alert" tabindex="-1" ref=${props.focusRef}>
    <p><strong>${problemText(r)}</strong></p>
    ${errs.length ? html`<ul>${errs.map(function (e) {
      return html`<li><a href=${'#' + fieldId(e.field)} onClick=${function (ev) {
        var el = document.getElementById(fieldId(e.field));
        if (el) {
          ev.preventDefault();
          /* a group of boxes is focused at its first box */
          var target = el.tagName === 'FIELDSET' ? el.querySelector('input') || el : el;
          target.focus();
        }
      }}>${props.fields ? pathLabel(props.fields, e.field) : e.field}</a>${t('punct.colon')}${errText(e)}</li>`;
    })}</ul>` : null}
  </div>`;
}

/* The warnings of a refused submit that can be confirmed: problems whose
 * code is a value of the form's confirmation field. */
function confirmable(fields, r) {
  var cf = fields.filter(function (f) { return f.confirm; })[0];
  var errs = (r && !r.ok && r.data && r.data.errors) || [];
  return cf ? { field: cf, warnings: errs.filter(function (e) { return cf.values.indexOf(e.code) >= 0; }) } : null;
}

/* "Please check": each warning with "I confirm, this is correct", which
 * puts its code in the confirmation field for the next submit. */
function Confirmations(props) {
  var c = props.c, list = props.value[c.field.name] || [];
  if (!c.warnings.length) return null;
  return html`<fieldset class="confirm" aria-describedby="confirm-intro">
    <legend>${t('confirm.title')}</legend>
    <p id="confirm-intro">${t('confirm.intro')}</p>
    ${c.warnings.map(function (e, i) {
      var on = list.indexOf(e.code) >= 0, id = 'confirm-' + i;
      return html`<div class="warning" key=${e.field + e.code}>
        <p id=${id + '-what'}><strong>${colon(props.fields ? pathLabel(props.fields, e.field) : e.field)}</strong>${errText(e)}</p>
        <label class="check"><input type="checkbox" id=${id} name=${c.field.name} value=${e.code} checked=${on}
          aria-describedby=${id + '-what'}
          onChange=${function () {
            var next = on ? list.filter(function (x) { return x !== e.code; }) : list.concat([e.code]);
            var v = Object.assign({}, props.value);
            v[c.field.name] = next;
            props.onChange(v);
          }} /> ${t('confirm.label')}</label>
      </div>`;
    })}
  </fieldset>`;
}

/* A whole form over one field table: submit(body) → API result. A 412
 * (the record changed meanwhile) offers reload(). The problems are named
 * by labelFields when the answer's paths reach beyond the form's own
 * fields (default: fields). */
function SchemaForm(props) {
  var st = useState(props.initial || {});
  var value = st[0], setValue = st[1];
  var rs = useState(null);
  var result = rs[0], setResult = rs[1];
  var bs = useState(false);
  var busy = bs[0], setBusy = bs[1];
  var summary = useRef(null);
  var conf = confirmable(props.fields, result);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    var r = await props.submit(cleanValues(props.fields, value, props.keepNull));
    setBusy(false);
    setResult(r);
    if (r.ok) {
      if (props.done) props.done(r);
    } else {
      setTimeout(function () { if (summary.current) summary.current.focus(); }, 0);
    }
  }
  return html`<form class="card form" onSubmit=${submit} noValidate aria-label=${props.title}>
    ${props.title ? html`<h3>${props.title}</h3>` : null}
    <${ErrorSummary} result=${result} focusRef=${summary} fields=${props.labelFields || props.fields} reload=${props.reload} />
    <div class="grid"><${Fields} fields=${props.fields} value=${value} onChange=${setValue}
      errors=${errorMap(result)} ctx=${typeof props.ctx === 'function' ? props.ctx(value) : props.ctx} /></div>
    ${conf ? html`<${Confirmations} c=${conf} fields=${props.labelFields || props.fields} value=${value} onChange=${setValue} />` : null}
    ${props.after ? props.after(value) : null}
    <div class="actions">
      <button type="submit" disabled=${busy}>${props.submitLabel || t('common.save')}</button>
      ${props.cancel ? html`<button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>` : null}
    </div>
  </form>`;
}
