export { renderTemplate, renderTemplateFields } from './render-template.ts';
export { isoUtc, templateValues, type ConnectionFields, type RunFacts, type TemplateLookups } from './template-context.ts';
