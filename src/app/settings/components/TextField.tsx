import { useState } from 'react';
import { Input } from '@hubspot/ui-extensions';

/**
 * A text field whose text is the user's while they type (a list being typed keeps its trailing
 * comma); the parsed value goes to the model on every change.
 */
export function TextField(props: {
  testId?: string;
  label: string;
  name: string;
  description?: string;
  initial: string;
  onChange: (text: string) => void;
  error?: boolean;
  validationMessage?: string;
}) {
  const [text, setText] = useState(props.initial);
  return (
    <Input
      testId={props.testId}
      label={props.label}
      name={props.name}
      description={props.description}
      value={text}
      error={props.error}
      validationMessage={props.validationMessage}
      onChange={(v) => {
        setText(v);
        props.onChange(v);
      }}
    />
  );
}
