import type { ReactNode } from 'react';
import { Button, Flex, LoadingButton, Modal, ModalBody } from '@hubspot/ui-extensions';

/**
 * A modal that asks before something that cannot be undone: what happens (children), then the
 * confirm button (`${testId}-confirm`) and the way out (`${testId}-cancel`).
 */
export function ConfirmModal(props: {
  id: string;
  title: string;
  testId: string;
  confirmLabel: string;
  cancelLabel: string;
  /** `destructive` for a deletion; `primary` for a change that moves forward. */
  variant: 'primary' | 'destructive';
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  width?: 'sm' | 'md';
  children: ReactNode;
}) {
  return (
    <Modal id={props.id} title={props.title} width={props.width ?? 'sm'}>
      <ModalBody>
        <Flex direction="column" gap="sm" testId={props.testId}>
          {props.children}
          <Flex direction="row" gap="xs" wrap="wrap">
            <LoadingButton
              testId={`${props.testId}-confirm`}
              variant={props.variant}
              loading={props.busy}
              onClick={props.onConfirm}
            >
              {props.confirmLabel}
            </LoadingButton>
            <Button
              testId={`${props.testId}-cancel`}
              variant="secondary"
              disabled={props.busy}
              onClick={props.onCancel}
            >
              {props.cancelLabel}
            </Button>
          </Flex>
        </Flex>
      </ModalBody>
    </Modal>
  );
}
