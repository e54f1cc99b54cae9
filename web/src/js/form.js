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
 *   languages / strings → comma-separated codes
 *   object → fieldset        array → repeatable fieldsets with add/remove
 *
 * Server-owned fields are not drawn. A caller can replace a field's
 * control with a list of choices (ctx.choices[name], e.g. the members of a
 * case for person_id) or leave fields out (ctx.skip). ctx may be a
 * function of the form's current values, for choices that depend on
 * another field (the partner organisations as the recipient of a consent
 * to share data, free text for medical data).
 *
 * Errors come from the server's problem+json: each {field, message} has a
 * path such as "members[1].person.date_of_birth"; the control with that
 * path shows the message (aria-invalid, aria-describedby), and a summary at
 * the top of the form links to each one, named by the field's translated
 * label ("Member 1 — Sex: sex is required").
 */

function fieldId(path) {
  return 'f-' + path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-$/, '');
}

function errorMap(r) {
  var m = {};
  var list = (r && r.data && r.data.errors) || [];
  list.forEach(function (e) {
    m[e.field] = m[e.field] ? m[e.field] + '; ' + e.message : e.message;
  });
  return m;
}

function isVisible(f, ctx) {
  return !f.server && f.name !== 'id' && !(ctx && ctx.skip && ctx.skip.indexOf(f.name) >= 0);
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
    else if (f.type === 'languages') x = x.join(', ');
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
  return html`${t(f.label)}${f.required ? html`<span class="req" aria-hidden="true"> *</span>` : null}${
    f.sensitivity === 'medical' || f.sensitivity === 'protection'
      ? html` <span class="sens">${t('sens.' + f.sensitivity)}</span>` : null}`;
}

function Control(props) {
  var f = props.f, path = props.path, value = props.value, set = props.set;
  var ctx = props.ctx || {};
  var id = fieldId(path);
  var err = props.errors[path];
  var errId = id + '-err';
  var hintKey = f.type === 'partial_date' ? 'hint.partial_date'
    : f.type === 'languages' ? 'hint.languages'
    : f.type === 'strings' ? 'hint.strings' : null;
  var hintId = id + '-hint';
  var described = [err ? errId : null, hintKey ? hintId : null].filter(Boolean).join(' ') || undefined;
  var common = {
    id: id, name: path, 'aria-invalid': err ? 'true' : undefined,
    'aria-describedby': described, required: f.required,
  };
  var choices = ctx.choices && ctx.choices[f.name];
  var input;
  var multi = ctx.multi && ctx.multi[f.name];
  if (f.type === 'flags' || multi) {
    var cur = Array.isArray(value) ? value : value ? String(value).split(/[\s,]+/).filter(Boolean) : [];
    var items = multi || (f.values || []).map(function (v) { return { value: v, label: tv(v) }; });
    return html`<fieldset class=${'field flags' + (err ? ' invalid' : '')} id=${id} aria-describedby=${err ? errId : undefined}>
      <legend><${Label} f=${f} /></legend>
      <div class="checks">${items.map(function (o) {
        var v = o.value, on = cur.indexOf(v) >= 0;
        return html`<label class="check"><input type="checkbox" name=${path} value=${v} checked=${on}
          onChange=${function () { set(on ? cur.filter(function (x) { return x !== v; }) : cur.concat([v])); }} />
          ${o.label}</label>`;
      })}</div>
      ${err ? html`<p class="err" id=${errId}>${err}</p>` : null}
    </fieldset>`;
  }
  if (f.type === 'boolean') {
    return html`<div class=${'field boolean' + (err ? ' invalid' : '')}>
      <label class="check"><input type="checkbox" ...${common} required=${false} checked=${!!value}
        onChange=${function (e) { set(e.target.checked); }} /> <${Label} f=${Object.assign({}, f, { required: false })} /></label>
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
      dir=${f.type === 'partial_date' || f.type === 'languages' || type === 'email' || type === 'tel' ? 'ltr' : 'auto'} />`;
  }
  return html`<div class=${'field' + (err ? ' invalid' : '')}>
    <label for=${id}><${Label} f=${f} /></label>
    ${input}
    ${hintKey ? html`<p class="hint" id=${hintId}>${t(hintKey)}</p>` : null}
    ${err ? html`<p class="err" id=${errId}>${err}</p>` : null}
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
    return html`<${Control} key=${f.name} f=${f} path=${path} value=${value[f.name]} set=${set}
      errors=${props.errors} ctx=${ctx} />`;
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
          ${t('common.remove')}: ${item} ${fmtNum(i + 1)}</button>
      </div>`;
    })}
    <button type="button" class="secondary" onClick=${function () { props.set(items.concat([{}])); }}>
      ${t('common.add')}: ${item}</button>
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
      }}>${props.fields ? pathLabel(props.fields, e.field) : e.field}</a>: ${e.message}</li>`;
    })}</ul>` : null}
  </div>`;
}

/* A whole form over one field table: submit(body) → API result. */
function SchemaForm(props) {
  var st = useState(props.initial || {});
  var value = st[0], setValue = st[1];
  var rs = useState(null);
  var result = rs[0], setResult = rs[1];
  var bs = useState(false);
  var busy = bs[0], setBusy = bs[1];
  var summary = useRef(null);
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
    <${ErrorSummary} result=${result} focusRef=${summary} fields=${props.fields} />
    <div class="grid"><${Fields} fields=${props.fields} value=${value} onChange=${setValue}
      errors=${errorMap(result)} ctx=${typeof props.ctx === 'function' ? props.ctx(value) : props.ctx} /></div>
    <div class="actions">
      <button type="submit" disabled=${busy}>${props.submitLabel || t('common.save')}</button>
      ${props.cancel ? html`<button type="button" class="secondary" onClick=${props.cancel}>${t('common.cancel')}</button>` : null}
    </div>
  </form>`;
}
