// 'carafe/forms': typed form definitions, validation, accessible rendering, model forms,
// formsets and JSON Schema.
export { BoundField } from './bound-field.js';
export {
  type BindOptions,
  FormDefinition,
  type FormOptions,
  type FormSource,
  form,
  type RequestLike,
  type UnboundOptions,
} from './define.js';
export {
  type FormsetBindOptions,
  FormsetDefinition,
  type FormsetUnboundOptions,
  formset,
} from './define-formset.js';
export {
  type ModelFormBindOptions,
  ModelFormDefinition,
  type ModelFormOptions,
  type ModelFormUnboundOptions,
  modelForm,
} from './define-model-form.js';
export { FormError, type FormErrors } from './errors.js';
export {
  type Choice,
  type ChoiceItem,
  type ChoiceValueOf,
  type CleanedValue,
  type FieldOptions,
  FormField,
  type WidgetName,
} from './field.js';
export * from './fields/index.js';
export { type CleanHook, Form, type ValidForm } from './form.js';
export { Formset, type FormsetClean, type FormsetOptions, type ValidFormset } from './formset.js';
export type { Validator } from './from-db.js';
export { type Attrs, escapeHtml, SafeHtml } from './html.js';
export {
  type InlineBindOptions,
  InlineFormset,
  InlineFormsetDefinition,
  type InlineFormsetOptions,
  type InlineUnboundOptions,
  inlineFormset,
} from './inline-formset.js';
export { ModelForm, type ModelValues } from './model-form.js';
export type {
  EditableName,
  MergeFields,
  ModelFormFields,
  ModelFormValue,
} from './model-form-types.js';
export type { FilesInput, FormInput } from './submitted.js';
export type { CleanedData, CleanResult, ErrorKey, FormFields, InitialData } from './types.js';
