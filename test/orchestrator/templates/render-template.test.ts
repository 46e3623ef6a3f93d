import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate, renderTemplateFields, type RunFacts, type TemplateLookups } from '../../../src/orchestrator/templates/index.ts';

const run: RunFacts = {
  dagId: 'sparkify',
  taskId: 'Stage_events',
  runId: 'scheduled__2018-11-01T05:00:00+00:00',
  logicalDate: new Date('2018-11-01T05:00:00Z'),
  dataIntervalStart: new Date('2018-11-01T05:00:00Z'),
  dataIntervalEnd: new Date('2018-11-01T06:00:00Z'),
  prevDataIntervalStartSuccess: new Date('2018-11-01T04:00:00Z'),
  params: { table: 'staging_events', hours: [1, 2] },
};
const variablesRead: string[] = [];
const lookups: TemplateLookups = {
  variable: async (name) => {
    variablesRead.push(name);
    return ({ bucket: 'udacity-dend', limits: '{"rows": 10}' } as Record<string, string>)[name];
  },
  connection: (id) => (id === 'warehouse' ? { host: 'db.example', port: 5439, schema: 'dev' } : undefined),
};
const render = (text: string) => renderTemplate(text, run, lookups);

test("the run's context: Airflow's names and formats, in UTC", async () => {
  assert.equal(await render('{{ ds }}|{{ ds_nodash }}|{{ ts }}|{{ ts_nodash }}'), '2018-11-01|20181101|2018-11-01T05:00:00+00:00|20181101T050000');
  assert.equal(await render('{{ logical_date }}|{{ data_interval_start }}|{{ data_interval_end }}'), '2018-11-01T05:00:00+00:00|2018-11-01T05:00:00+00:00|2018-11-01T06:00:00+00:00');
  assert.equal(await render('{{ prev_data_interval_start_success }}'), '2018-11-01T04:00:00+00:00');
  assert.equal(await render('{{ run_id }} {{ dag_id }}.{{ task_id }}'), 'scheduled__2018-11-01T05:00:00+00:00 sparkify.Stage_events');
  assert.equal(await render('{{ params.table | upcase }} {{ params.hours | join: "," }}'), 'STAGING_EVENTS 1,2');
  assert.equal(await render('log_data/{{ logical_date | date: "%Y/%m" }}/{{ ds }}-events.json'), 'log_data/2018/11/2018-11-01-events.json');
  assert.equal(await render('{{ ds | ds_add: -1 }} {{ ds | ds_add: 31 }}'), '2018-10-31 2018-12-02');
  assert.equal(await render('{% if params.table contains "events" %}yes{% endif %}'), 'yes');
});

test('variables and connections come from the lookups, only those named', async () => {
  variablesRead.length = 0;
  assert.equal(await render('s3://{{ var.value.bucket }}/{{ var.json.limits.rows }}'), 's3://udacity-dend/10');
  assert.deepEqual(variablesRead, ['bucket', 'limits']);
  assert.equal(await render('{{ conn.warehouse.host }}:{{ conn.warehouse.port }}/{{ conn.warehouse.schema }}'), 'db.example:5439/dev');
});

test('strict: an unknown variable, variable, connection, field or filter is an error naming it', async () => {
  const cases: [string, RegExp][] = [
    ['{{ dss }}', /undefined variable: dss/],
    ['{{ params.tabel }}', /undefined variable: params\.tabel/],
    ['{{ var.value.missing }}', /unknown variable var\.value\.missing/],
    ['{{ conn.nowhere.host }}', /unknown connection conn\.nowhere/],
    ['{{ conn.warehouse.password }}', /unknown field conn\.warehouse\.password/],
    ['{{ ds | shout }}', /undefined filter: shout/],
    ['{% if ds %}', /not closed/],
  ];
  for (const [text, message] of cases) {
    await assert.rejects(render(text), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'SPK_E_TEMPLATE', text);
      assert.match(e.message, message, text);
      return true;
    });
  }
});

test('sandboxed: no prototype walk to a constructor, no file read', async () => {
  for (const hostile of [
    '{{ constructor.constructor }}',
    "{{ ''.constructor }}",
    "{{ ''.constructor.constructor('return process')() }}",
    '{{ ds.constructor }}',
    '{{ params.constructor.constructor }}',
    '{{ params.__proto__ }}',
    "{{ var.constructor }}",
    "{{ conn.warehouse.constructor }}",
    "{% include '/etc/passwd' %}",
    "{% render '/etc/hostname' %}",
  ]) {
    const outcome = await render(hostile).then((text) => ({ text }), (error: Error & { code?: string }) => ({ error }));
    if ('error' in outcome) assert.equal(outcome.error.code, 'SPK_E_TEMPLATE', hostile);
    else assert.doesNotMatch(outcome.text, /function|native code|root:|\[object/i, `${hostile} rendered ${outcome.text}`);
  }
});

test('renderTemplateFields renders the named fields, nested strings included, and keeps the rest', async () => {
  const params = { key: 'log_data/{{ ds }}', sql: ['DELETE FROM t WHERE d = {{ ds }}', 'SELECT {{ params.hours[0] }}'], other: '{{ ds }}', n: 3 };
  const out = await renderTemplateFields(params, ['key', 'sql', 'absent'], run, lookups);
  assert.deepEqual(out, { key: 'log_data/2018-11-01', sql: ['DELETE FROM t WHERE d = 2018-11-01', 'SELECT 1'], other: '{{ ds }}', n: 3 });
  assert.equal(params.key, 'log_data/{{ ds }}', 'the input is not changed');
  await assert.rejects(renderTemplateFields({ key: '{{ nope }}' }, ['key'], run, lookups), /SPK_E_TEMPLATE: key: undefined variable: nope/);
});
