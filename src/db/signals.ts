// Typed signals: receivers connect, optionally for one sender, and are awaited in order on send.
import { CarafeError } from '../index.js';

export type Receiver<Payload> = (payload: Payload) => void | Promise<void>;

export interface ConnectOptions<Sender> {
  /** Only call the receiver for payloads from this sender (for model signals: the model). */
  sender?: Sender;
}

export interface SignalOptions<Payload, Sender> {
  /** A name for error messages. */
  name?: string;
  /** Reads the sender out of a payload; needed to connect with `{ sender }`. */
  senderOf?: (payload: Payload) => Sender;
}

interface Connection<Payload, Sender> {
  readonly receiver: Receiver<Payload>;
  readonly filtered: boolean;
  readonly sender: Sender | undefined;
}

export class Signal<Payload, Sender = unknown> {
  readonly name: string;
  readonly #senderOf: ((payload: Payload) => Sender) | undefined;
  #connections: readonly Connection<Payload, Sender>[] = [];

  constructor(options: SignalOptions<Payload, Sender> = {}) {
    this.name = options.name ?? 'signal';
    this.#senderOf = options.senderOf;
  }

  /**
   * Calls `receiver` on every `send()` (or only for `sender`'s). Connecting the same receiver
   * for the same sender twice has no extra effect. Returns a function that disconnects it.
   */
  connect(receiver: Receiver<Payload>, options: ConnectOptions<Sender> = {}): () => void {
    const filtered = 'sender' in options;
    if (filtered && this.#senderOf === undefined) {
      throw new CarafeError(
        'CARAFE_SIGNAL_SENDER',
        `The ${this.name} signal has no sender to filter on; connect without { sender } and check the payload instead.`,
      );
    }
    const sender = options.sender;
    const same = (c: Connection<Payload, Sender>) =>
      c.receiver === receiver && c.filtered === filtered && c.sender === sender;
    if (!this.#connections.some(same)) {
      this.#connections = [...this.#connections, { receiver, filtered, sender }];
    }
    return () => {
      this.#connections = this.#connections.filter((c) => !same(c));
    };
  }

  /** Whether any receiver would run for a payload from `sender` (or at all, without one). */
  hasReceivers(...sender: [] | [Sender]): boolean {
    return this.#connections.some(
      (c) => !c.filtered || sender.length === 0 || c.sender === sender[0],
    );
  }

  /**
   * Calls the matching receivers one after another, awaiting each. A receiver that throws
   * stops the rest and the error propagates to the sender, as the operation should fail too.
   */
  async send(payload: Payload): Promise<void> {
    const connections = this.#connections;
    if (connections.length === 0) return;
    const sender = this.#senderOf?.(payload);
    for (const connection of connections) {
      if (connection.filtered && connection.sender !== sender) continue;
      await connection.receiver(payload);
    }
  }
}

/** What every model signal carries. `model` is the sender. */
export interface ModelSignalPayload {
  /** The model (class-like value returned by `model()`) whose row is affected. */
  readonly model: unknown;
  readonly instance: unknown;
  /** The database name the operation runs on. */
  readonly using?: string;
}

export interface SaveSignalPayload extends ModelSignalPayload {
  /** `true` when the save inserts a new row. */
  readonly created?: boolean;
  /** The fields being saved, when a save was limited to some of them. */
  readonly updateFields?: readonly string[];
}

export type DeleteSignalPayload = ModelSignalPayload;

export type M2MChangeAction =
  | 'preAdd'
  | 'postAdd'
  | 'preRemove'
  | 'postRemove'
  | 'preClear'
  | 'postClear';

export interface M2MChangedSignalPayload extends ModelSignalPayload {
  readonly action: M2MChangeAction;
  /** `true` when the change was made from the side that does not declare the relation. */
  readonly reverse: boolean;
  /** The model on the other side of the relation. */
  readonly relatedModel: unknown;
  /** Primary keys added or removed; `undefined` for clears. */
  readonly pks?: readonly unknown[];
}

const modelOf = (payload: ModelSignalPayload): unknown => payload.model;

export const preSave = new Signal<SaveSignalPayload>({ name: 'preSave', senderOf: modelOf });
export const postSave = new Signal<SaveSignalPayload>({ name: 'postSave', senderOf: modelOf });
export const preDelete = new Signal<DeleteSignalPayload>({ name: 'preDelete', senderOf: modelOf });
export const postDelete = new Signal<DeleteSignalPayload>({
  name: 'postDelete',
  senderOf: modelOf,
});
export const m2mChanged = new Signal<M2MChangedSignalPayload>({
  name: 'm2mChanged',
  senderOf: modelOf,
});
