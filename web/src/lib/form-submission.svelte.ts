import { messageOf } from './api/errors.js';
import { formErrors } from './form-errors.js';

/**
 * The state of a dialog form that saves through the API: a message under each field, a summary
 * for what no field holds, and a busy flag while it saves. One place for the check → save →
 * show-why-not sequence the gateway's provider and route forms share.
 */
export class FormSubmission {
  errors = $state<Record<string, string>>({});
  summary = $state<string | undefined>();
  saving = $state(false);

  /** @param fields the fields the form shows; the server's issues about others go to the summary. */
  constructor(private readonly fields: readonly string[]) {}

  /**
   * Shows `problems` (the form's own checks) and stops there if there are any; otherwise saves,
   * hands the saved value to `onSaved`, or shows the server's reasons under the fields.
   */
  async submit<T>(problems: Record<string, string>, save: () => Promise<T>, onSaved: (saved: T) => void): Promise<void> {
    this.summary = undefined;
    this.errors = problems;
    if (Object.keys(problems).length > 0) return;
    this.saving = true;
    try {
      onSaved(await save());
    } catch (error) {
      const shown = formErrors(error, this.fields, messageOf);
      this.errors = shown.fields;
      this.summary = shown.summary;
    } finally {
      this.saving = false;
    }
  }
}
