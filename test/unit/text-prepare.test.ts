import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Column } from '../../src/core/data/table';
import type { PrepareOp, ProblemConfig } from '../../src/core/config';
import { Pipeline, previewPreparation } from '../../src/core/prepare/pipeline';
import { csrToDense, hstackCsr, selectCsrRows, denseToCsr } from '../../src/core/sparse';
import { characterNgrams, tokenize, DEFAULT_TOKENIZE } from '../../src/core/text/tokenize';
import { countMatrixIds, fitVocabulary, fitVocabularyIds } from '../../src/core/text/vocabulary';
import { documentTokens, TokenDictionary } from '../../src/core/text/token-ids';
import { close, identifier, numeric, categorical, table, throwsCode } from './prepare-helpers';

function text(name: string, values: Array<string | null>): Column {
  return { name, type: 'text', values };
}

const DOCS = ['The cat sat', 'the cat ran, the end', 'A dog ran'];
const problem: ProblemConfig = { data: 'data.csv', target: 'label', task: 'binary' };

function fitted(
  ops: PrepareOp[],
  columns: Column[] = [text('doc', DOCS), categorical('label', ['a', 'b', 'a'])],
) {
  const data = table(columns);
  const pipeline = new Pipeline(problem, ops).fit(data);
  return { pipeline, data, dataset: pipeline.transform(data) };
}

describe('tokenize', () => {
  it('lower-cases words of two or more letters or digits, as scikit-learn', () => {
    assert.deepEqual(tokenize("It's 2 o'clock: naïve café_au_lait, 42!", DEFAULT_TOKENIZE).tokens, [
      'it',
      'clock',
      'naïve',
      'café_au_lait',
      '42',
    ]);
  });

  it('makes word n-grams after removing stop words, and character n-grams padded with #', () => {
    const settings = { ...DEFAULT_TOKENIZE, ngrams: [1, 2] as [number, number], stopWords: 'eng' };
    assert.deepEqual(tokenize('the cat and the hat', settings).tokens, ['cat', 'hat', 'cat hat']);
    assert.deepEqual(characterNgrams('cat', [3, 3]), ['#ca', 'cat', 'at#']);
    assert.deepEqual(characterNgrams('ab', [2, 4]), ['#a', 'ab', 'b#', '#ab', 'ab#', '#ab#']);
  });

  it('cuts a document at maxWords and says how many words it had', () => {
    const result = tokenize('one two three four five', { ...DEFAULT_TOKENIZE, maxWords: 2 });
    assert.deepEqual(result, { tokens: ['one', 'two'], words: 5 });
    assert.deepEqual(tokenize(null, DEFAULT_TOKENIZE), { tokens: [], words: 0 });
  });
});

describe('vocabulary', () => {
  const documents = [
    ['the', 'cat', 'sat'],
    ['the', 'cat', 'ran', 'the', 'end'],
    ['dog', 'ran'],
  ];

  it('keeps tokens in minCount documents, sorted alphabetically, with document frequencies', () => {
    assert.deepEqual(fitVocabulary(documents, 100, 2), {
      tokens: ['cat', 'ran', 'the'],
      documents: [2, 2, 2],
    });
  });

  it('keeps the maxTokens most frequent by total count, ties alphabetical', () => {
    // the: 3 in all, cat: 2, ran: 2, then dog, end, sat: 1.
    assert.deepEqual(fitVocabulary(documents, 2, 1).tokens, ['cat', 'the']);
  });
});

describe('tfidf, counts and sequences ops', () => {
  it('weights TF-IDF as scikit-learn TfidfVectorizer (values from scikit-learn 1.x on the same documents)', () => {
    const { dataset } = fitted([{ op: 'tfidf' }]);
    assert.ok(dataset.sparse, 'the features are sparse');
    assert.equal(dataset.x.length, 0, 'no dense copy');
    assert.deepEqual(dataset.xShape, [3, 6]);
    assert.deepEqual(dataset.featureNames, [
      'doc:cat',
      'doc:dog',
      'doc:end',
      'doc:ran',
      'doc:sat',
      'doc:the',
    ]);
    const dense = csrToDense(dataset.sparse, 'test');
    const expected = [
      [0.517856, 0, 0, 0, 0.680919, 0.517856],
      [0.3597, 0, 0.472963, 0.3597, 0, 0.719401],
      [0, 0.795961, 0, 0.605349, 0, 0],
    ];
    expected.flat().forEach((value, index) => close(dense[index], value, 2e-6));
  });

  it('counts tokens, and only presence with binary', () => {
    const counts = fitted([{ op: 'counts', minCount: 2 }]).dataset;
    assert.deepEqual(counts.featureNames, ['doc:cat', 'doc:ran', 'doc:the']);
    assert.deepEqual(Array.from(csrToDense(counts.sparse!, 'test')), [1, 0, 1, 1, 1, 2, 0, 1, 0]);
    const binary = fitted([{ op: 'counts', minCount: 2, binary: true }]).dataset;
    assert.deepEqual(Array.from(csrToDense(binary.sparse!, 'test')), [1, 0, 1, 1, 1, 1, 0, 1, 0]);
  });

  it('uses the training vocabulary only: a word seen in validation alone is no feature', () => {
    const data = table([text('doc', [...DOCS, 'zebra cat']), categorical('label', ['a', 'b', 'a', 'b'])]);
    const pipeline = new Pipeline(problem, [{ op: 'counts' }]).fit(data, { rows: [0, 1, 2] });
    const validation = pipeline.transform(data, [3]);
    assert.ok(!validation.featureNames.includes('doc:zebra'));
    assert.deepEqual(Array.from(csrToDense(validation.sparse!, 'test')), [1, 0, 0, 0, 0, 0]);
  });

  it('pads sequences with 0 at the end, cuts them at length, and maps unknown words to 1', () => {
    const { dataset, pipeline } = fitted([{ op: 'sequences', length: 3, minCount: 2 }]);
    // Vocabulary cat=2, ran=3, the=4 (0 pads, 1 is unknown).
    assert.equal(dataset.sparse, undefined);
    assert.deepEqual(dataset.xShape, [3, 3]);
    assert.deepEqual(Array.from(dataset.x), [4, 2, 1, 4, 2, 3, 1, 3, 0]);
    const describe = pipeline.describe().join('\n');
    assert.match(describe, /1 of 3 training documents cut at 3 tokens \(the longest has 5\)/);
  });

  it('puts numeric columns beside the sparse text features in one sparse matrix', () => {
    const { dataset } = fitted(
      [{ op: 'counts', minCount: 2 }],
      [numeric('rating', [5, 0, 2]), text('doc', DOCS), categorical('label', ['a', 'b', 'a'])],
    );
    assert.deepEqual(dataset.featureNames, ['rating', 'doc:cat', 'doc:ran', 'doc:the']);
    assert.deepEqual(Array.from(csrToDense(dataset.sparse!, 'test')), [5, 1, 0, 1, 0, 1, 1, 2, 2, 0, 1, 0]);
  });

  it('reports cut documents in the preview, with the tokenize settings', () => {
    const long = 'word '.repeat(30);
    const data = table([text('doc', [...DOCS, long]), categorical('label', ['a', 'b', 'a', 'b'])]);
    const ops: PrepareOp[] = [{ op: 'tokenize', maxWords: 10, ngrams: [1, 2] }, { op: 'tfidf' }];
    const preview = previewPreparation(data, problem, ops, { train: [0, 1, 2, 3], validation: [] });
    const lines = preview.describe.join('\n');
    assert.match(
      lines,
      /tokenize: doc → lower-cased words, word n-grams of 1 to 2; 1 of 4 training documents cut at 10 words \(the longest has 30\)/,
    );
    assert.ok(preview.after.length > 0 && preview.after.length <= 100);
    const word = preview.after.find((feature) => feature.name === 'doc:word');
    assert.ok(word && word.max > 0 && word.min === 0, JSON.stringify(word));
  });
});

describe('text ops on bad input', () => {
  it('an empty document is a row of zeros; a text column with no word at all is refused, located', () => {
    const { dataset } = fitted(
      [{ op: 'tfidf' }],
      [text('doc', ['cat sat', '', null]), categorical('label', ['a', 'b', 'a'])],
    );
    assert.deepEqual(Array.from(dataset.sparse!.indptr), [0, 2, 2, 2]);
    throwsCode(
      () => fitted([{ op: 'tfidf' }], [text('doc', ['', '!!', null]), categorical('label', ['a', 'b', 'a'])]),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.column, 'doc');
        assert.equal(error.field, '/prepare/0');
        assert.match(error.message, /no words/);
      },
    );
  });

  it('binary garbage gives no vocabulary and a clear error, not a crash', () => {
    const garbage = Array.from({ length: 6 }, (_, row) =>
      String.fromCharCode(...Array.from({ length: 40 }, (_, index) => ((row * 31 + index * 7) % 31) + 1)),
    );
    throwsCode(
      () =>
        fitted(
          [{ op: 'counts' }],
          [text('blob', garbage), categorical('label', ['a', 'b', 'a', 'b', 'a', 'b'])],
        ),
      'PREPARE_INVALID',
      (error) => assert.equal(error.column, 'blob'),
    );
  });

  it('an identifier named as text is refused when no token is in minCount documents', () => {
    const ids = Array.from({ length: 6 }, (_, row) => `order ${1000 + row}`);
    throwsCode(
      () =>
        fitted(
          [{ op: 'tfidf', columns: ['ref'], minCount: 2 }],
          [
            identifier(
              'ref',
              ids.map((id) => id.replace('order ', 'X')),
            ),
            categorical('label', ['a', 'b', 'a', 'b', 'a', 'b']),
          ],
        ),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.column, 'ref');
        assert.match(error.message, /each row has its own words, as an identifier does/);
      },
    );
  });

  it('refuses a text column left as text, a bad setting, and sequences beside other features', () => {
    throwsCode(
      () => fitted([{ op: 'tokenize' }]),
      'PREPARE_INVALID',
      (error) => {
        assert.match(error.message, /"doc" is tokens: add \{"op": "tfidf"\}/);
      },
    );
    throwsCode(
      () => fitted([{ op: 'tokenize', stopWords: 'xx1' }]),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/0/stopWords');
      },
    );
    throwsCode(
      () => fitted([{ op: 'tokenize', ngrams: [2, 1] }]),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/0/ngrams');
      },
    );
    throwsCode(
      () => fitted([{ op: 'tfidf', maxTokens: 0 }]),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/0/maxTokens');
      },
    );
    throwsCode(
      () =>
        fitted(
          [{ op: 'sequences', length: 4 }],
          [numeric('rating', [1, 2, 3]), text('doc', DOCS), categorical('label', ['a', 'b', 'a'])],
        ),
      'PREPARE_INVALID',
      (error) => assert.equal(error.column, 'rating'),
    );
    throwsCode(
      () => fitted([{ op: 'tfidf', columns: ['nope'] }]),
      'PREPARE_INVALID',
      (error) => {
        assert.equal(error.field, '/prepare/0/columns/0');
      },
    );
  });

  it('rebuilds from its JSON state and transforms the same', () => {
    const { pipeline, data, dataset } = fitted([{ op: 'tfidf', sublinear: true }]);
    const again = Pipeline.fromState(pipeline.getState()).transform(data);
    assert.deepEqual(Array.from(again.sparse!.values), Array.from(dataset.sparse!.values));
  });
});

describe('CSR matrices', () => {
  it('select rows, stack side by side and round-trip through dense', () => {
    const left = denseToCsr([1, 0, 0, 2, 3, 0], 3, 2);
    const right = denseToCsr([0, 4, 5], 3, 1);
    const both = hstackCsr([left, right]);
    assert.deepEqual(Array.from(csrToDense(both, 'test')), [1, 0, 0, 0, 2, 4, 3, 0, 5]);
    assert.deepEqual(Array.from(csrToDense(selectCsrRows(both, [2, 0]), 'test')), [3, 0, 5, 1, 0, 0]);
  });

  it('refuses to make a huge matrix dense, naming the way out', () => {
    const huge = {
      rows: 6000,
      cols: 20000,
      indptr: new Int32Array(6001),
      indices: new Int32Array(0),
      values: new Float32Array(0),
    };
    throwsCode(
      () => csrToDense(huge, 'model "knn"'),
      'MODEL_INVALID',
      (error) => {
        assert.match(error.message, /6000 × 20000/);
        assert.match(error.hint ?? '', /logistic/);
      },
    );
  });
});

describe('Pipeline.fitTransform', () => {
  it('gives the training rows as fit then transform do: sparse text beside numbers, and sequences', () => {
    const columns = [
      text('doc', [...DOCS, 'a cat and a dog', 'the end']),
      numeric('rating', [1, 4, 2, 5, 3]),
      categorical('label', ['a', 'b', 'a', 'b', 'a']),
    ];
    const data = table(columns);
    const rows = [0, 2, 3, 4];
    for (const ops of [
      [{ op: 'minmax', columns: ['rating'] }, { op: 'tfidf' }] as PrepareOp[],
      [
        { op: 'drop', columns: ['rating'] },
        { op: 'sequences', length: 4 },
      ] as PrepareOp[],
    ]) {
      const once = new Pipeline(problem, ops).fitTransform(data, { rows });
      const twice = new Pipeline(problem, ops).fit(data, { rows }).transform(data, rows);
      assert.deepEqual(once, twice, ops[1].op);
      assert.equal(once.xShape[0], rows.length);
    }
  });
});

describe('token ids cached per source column', () => {
  const corpus = [
    'the cat sat on the mat',
    'a dog ran after the cat',
    'zebra and yak ran',
    'the end of the cat story',
    'yak yak zebra mat',
    'aardvark and the dog sat',
  ];
  const labels = ['a', 'b', 'a', 'b', 'a', 'b'];

  it('tokenizes a document once per source and settings; no source, no cache', () => {
    const source: string[] = [];
    const documents = documentTokens(source, DEFAULT_TOKENIZE);
    assert.equal(documentTokens(source, { ...DEFAULT_TOKENIZE }), documents, 'same settings, same cache');
    assert.notEqual(documentTokens(source, { ...DEFAULT_TOKENIZE, ngrams: [1, 2] }), documents);
    const first = documents.get('The cat, the hat');
    assert.equal(documents.get('The cat, the hat'), first, 'the second read is the cached one');
    assert.deepEqual(
      Array.from(first.ids, (id) => documents.dictionary.tokens[id]),
      ['the', 'cat', 'the', 'hat'],
    );
    const uncached = documentTokens(undefined, DEFAULT_TOKENIZE);
    assert.notEqual(uncached.get('the cat'), uncached.get('the cat'));
  });

  it('gives every fold the matrices of a fresh table, as the dictionary grows fold after fold', () => {
    const opsList: PrepareOp[][] = [
      [{ op: 'tfidf', minCount: 2 }],
      [{ op: 'counts', maxTokens: 3 }],
      [{ op: 'tokenize', ngrams: [1, 2], stopWords: 'eng' }, { op: 'counts' }],
      [{ op: 'sequences', length: 4, maxTokens: 4 }],
    ];
    const shared = table([text('doc', corpus), categorical('label', labels)]);
    const folds = [
      [0, 1, 2],
      [3, 4, 5],
      [0, 2, 4, 5],
    ];
    for (const ops of opsList) {
      for (const rows of folds) {
        const validation = [0, 1, 2, 3, 4, 5].filter((row) => !rows.includes(row));
        // A copy of the column is another source: nothing cached from the earlier folds.
        const fresh = table([text('doc', [...corpus]), categorical('label', [...labels])]);
        const cached = new Pipeline(problem, ops).fit(shared, { rows });
        const plain = new Pipeline(problem, ops).fit(fresh, { rows });
        assert.deepEqual(cached.getState(), plain.getState(), `${ops.at(-1)?.op} fold ${rows}`);
        assert.deepEqual(cached.transform(shared, validation), plain.transform(fresh, validation));
      }
    }
  });

  it('counts and orders ids as the string tokens: ties by text whatever order the ids were interned in', () => {
    const dictionary = new TokenDictionary();
    for (const token of ['zebra', 'cat', 'yak']) dictionary.intern(token);
    const documents = [Int32Array.from([0, 1, 2]), Int32Array.from([2, dictionary.intern('ant'), 0])];
    // zebra and yak: 2 each, in 2 documents; cat and ant: 1 each. Ties alphabetical, listed alphabetically.
    assert.deepEqual(fitVocabularyIds(documents, dictionary, 3, 1), {
      tokens: ['ant', 'yak', 'zebra'],
      documents: [1, 2, 2],
    });
    const columns = dictionary.positions(['ant', 'yak', 'zebra']);
    assert.deepEqual(Array.from(columns), [2, -1, 1, 0]);
    const matrix = countMatrixIds([Int32Array.from([0, 0, 2, 1]), new Int32Array(0)], columns, 3);
    assert.deepEqual(Array.from(matrix.indptr), [0, 2, 2]);
    assert.deepEqual(Array.from(matrix.indices), [1, 2]);
    assert.deepEqual(Array.from(matrix.values), [1, 2]);
  });
});
