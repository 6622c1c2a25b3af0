import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Post } from './post';
import { Stock } from './stock';

export enum TrendWindow {
  DAY = 'DAY',
  WEEK = 'WEEK',
}
registerEnumType(TrendWindow, {
  name: 'TrendWindow',
  description: 'The span a trend is measured over, ending at `at`.',
  valuesConfig: {
    DAY: { description: 'The last 24 hours, against the 28 days before.' },
    WEEK: { description: 'The last 7 days, against the 8 weeks before.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A stock covered more in the window than its own baseline says.' })
export class TrendingStock {
  @Field(() => Stock, { description: 'The stock.' })
  stock: Stock;

  @Field(() => Int, { description: 'Posts linking it dated in the window.' })
  count: number;

  @Field(() => Float, { description: 'Its mean posts per window over the baseline before the window.' })
  baseline: number;

  @Field(() => Float, {
    description: '(count - baseline) / sqrt(baseline + 1), rounded to 3 decimals: how far above its usual coverage.',
  })
  score: number;

  /** The window's posts linking it, newest first (the posts that drove the trend). */
  postsOf: (first: number) => Promise<Post[]>;
}
