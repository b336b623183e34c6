/** Fans samples out to every consumer (metrics, checkers, progress, journal), in emit order. */
import type { Sample } from './sample.ts';

export type SampleConsumer = (sample: Sample) => void;

export class SampleBus {
  private readonly consumers = new Set<SampleConsumer>();

  subscribe(consumer: SampleConsumer): () => void {
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  emit(sample: Sample): void {
    for (const consume of this.consumers) consume(sample);
  }
}
