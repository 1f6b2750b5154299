/**
 * The articles an index answers from, by id and in corpus order, in layers: one for the corpus,
 * and in a server's view a second for that server's own articles (local-libraries.ts). A view
 * shares the corpus's layer rather than copying it, so a thousand servers do not make a thousand
 * maps of every article.
 */
import type { Article, ArticleLookup } from './types.js';

interface Layer {
  list: readonly Article[];
  byId: ReadonlyMap<string, Article>;
}

const layerOf = (list: readonly Article[]): Layer => ({ list, byId: new Map(list.map((a) => [a.id, a])) });

export class ArticleSet implements ArticleLookup {
  private listed: readonly Article[] | null;

  private constructor(private readonly layers: readonly Layer[]) {
    this.listed = layers.length === 1 ? layers[0]!.list : null;
  }

  static of(articles: readonly Article[]): ArticleSet {
    return new ArticleSet([layerOf(articles)]);
  }

  get(id: string): Article | undefined {
    for (const layer of this.layers) {
      const found = layer.byId.get(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Every article, the corpus's first (made once, on first use, for a view). */
  get list(): readonly Article[] {
    return (this.listed ??= this.layers.flatMap((layer) => layer.list));
  }

  /** With articles added to the last layer (only that layer is copied). */
  with(added: readonly Article[]): ArticleSet {
    return new ArticleSet([...this.layers.slice(0, -1), layerOf([...this.layers.at(-1)!.list, ...added])]);
  }

  /** Without these articles (only the layers that hold one are copied). */
  without(ids: ReadonlySet<string>): ArticleSet {
    return new ArticleSet(this.layers.map((layer) => (layer.list.some((a) => ids.has(a.id)) ? layerOf(layer.list.filter((a) => !ids.has(a.id))) : layer)));
  }

  /** These articles as a layer over `base`'s. */
  over(base: ArticleSet): ArticleSet {
    return new ArticleSet([...base.layers, ...this.layers]);
  }
}
