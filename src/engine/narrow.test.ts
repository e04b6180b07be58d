/** @jest-environment node */
import {
  narrowNewestLogNs,
  narrowSamples,
  narrowStringList,
  narrowTagValues,
  narrowTraces,
  narrowVersion,
} from './narrow';
import * as B from './__fixtures__/bodies';

describe('narrowing untrusted bodies', () => {
  it('Tempo tag values: v1 strings and v2 objects both read as names; {} is none; other shapes are refused', () => {
    expect(narrowTagValues(B.tempoTagValuesV1(['a', 'b']))).toEqual(['a', 'b']);
    expect(narrowTagValues(B.tempoTagValuesV2(['a', '']))).toEqual(['a', '']);
    expect(narrowTagValues(B.tempoEmpty)).toEqual([]);
    expect(narrowTagValues({ tagValues: [{ type: 'int', value: 5 }] })).toBeUndefined();
    expect(narrowTagValues('not json')).toBeUndefined();
  });

  it('Tempo search: absent traces is none; ns strings keep full precision; placeholder roots are ignored', () => {
    expect(narrowTraces(B.tempoSearchNone)).toEqual([]);
    const hits = narrowTraces({
      traces: [
        { rootServiceName: '<root span not yet received>', startTimeUnixNano: '1764000123456789123', spanSets: [] },
      ],
    });
    expect(hits).toEqual([{ startNs: BigInt('1764000123456789123'), services: [] }]);
    expect(
      narrowTraces(B.tempoSearch([{ service: 'a', startNs: '1', spanServices: ['a', 'b'] }]))?.[0].services
    ).toEqual(['a', 'b']);
    expect(narrowTraces({ traces: [{ startTimeUnixNano: 'yesterday' }] })).toBeUndefined();
  });

  it('Loki: labels without data are []; newest line timestamp is exact to the nanosecond', () => {
    expect(narrowStringList(B.lokiLabelsEmpty)).toEqual([]);
    expect(narrowStringList({ status: 'success', data: [1] })).toBeUndefined();
    expect(
      narrowNewestLogNs(
        B.lokiStreams([
          { stream: { a: '1' }, values: [['1764000123456789001', 'x']] },
          { stream: { a: '2' }, values: [['1764000123456789999', 'y']] },
        ])
      )
    ).toEqual({ newestNs: BigInt('1764000123456789999') });
    expect(narrowNewestLogNs(B.lokiStreams([]))).toEqual({ newestNs: null });
    expect(narrowNewestLogNs({ status: 'success', data: { resultType: 'matrix', result: [] } })).toBeUndefined();
  });

  it('metric answers: vector values, and the newest non-zero point of a matrix', () => {
    expect(narrowSamples(B.promVector([{ metric: { job: 'a' }, value: [1, '1700000000'] }]))).toEqual([
      { labels: { job: 'a' }, time: 1, value: 1700000000 },
    ]);
    expect(
      narrowSamples(
        B.lokiMatrix([
          {
            metric: { service_name: 'a' },
            values: [
              [10, '3'],
              [20, '0'],
              [15, '1'],
            ],
          },
        ])
      )
    ).toEqual([{ labels: { service_name: 'a' }, time: 15, value: 1 }]);
    expect(narrowSamples({ status: 'success', data: { resultType: 'scalar', result: [1, '1'] } })).toBeUndefined();
  });

  it('buildinfo: enveloped or bare', () => {
    expect(narrowVersion(B.promBuildinfo)).toEqual({ version: '2.42.0' });
    expect(narrowVersion(B.mimirBuildinfo)).toEqual({ version: '2.14.0' });
    expect(narrowVersion(B.lokiBuildinfo)).toEqual({ version: '3.5.1' });
    expect(narrowVersion({})).toEqual({ version: null });
  });
});
