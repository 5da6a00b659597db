import { describe, expect, test } from 'bun:test'
import { groupCues, selectMoment, type MomentCue } from './selectMoment.ts'

// A 90-second passage of a cooking talk: cues every 5 s.
const lines = [
  'Welcome back everyone, good to see you all again today.',
  'Before we start, a quick reminder about the newsletter.',
  'Today we are going to talk about bread, mostly sourdough.',
  'First you need a starter, which is just flour and water.',
  'Feed the starter every day for about a week.',
  'It should double in size a few hours after feeding.',
  'Now the dough itself: flour, water, salt and some starter.',
  'Mix it and let it rest for an hour, that is the autolyse.',
  'Then stretch and fold every thirty minutes.',
  'The oven must be very hot, two hundred and fifty degrees.',
  'Bake it in a covered pot for twenty minutes.',
  'Then take the lid off and bake another twenty minutes until dark brown.',
  'Let it cool for an hour before cutting it.',
  'Cutting warm bread makes the crumb gummy.',
  'That is all for bread today.',
  'Next week: pizza.',
  'Thanks for watching.',
  'See you next time.',
]
const cues: MomentCue[] = lines.map((text, i) => ({ startMs: 600_000 + i * 5_000, endMs: 600_000 + i * 5_000 + 4_500, text }))

describe('selectMoment', () => {
  test('groups cues into stretches of at most 20 seconds', () => {
    const groups = groupCues(cues, 20_000)
    expect(groups.length).toBe(5)
    for (const g of groups) expect(g.endMs - g.startMs).toBeLessThanOrEqual(20_000)
    expect(groups[0]).toMatchObject({ startMs: 600_000, cueStart: 0, cueEnd: 3 })
    expect(groups.at(-1)!.cueEnd).toBe(cues.length - 1)
  })

  test('picks the stretch that answers the question, not the passage start', () => {
    // The oven and baking lines start at 645 s (cue 9), in the third group (cues 8-11).
    const moment = selectMoment('How hot should the oven be and how long do I bake it?', cues)!
    expect(moment.startMs).toBe(600_000 + 8 * 5_000)
    expect(moment.cueStart).toBeLessThanOrEqual(9)
    expect(moment.cueEnd).toBeGreaterThanOrEqual(10)
  })

  test('a different question about the same passage gets a different moment', () => {
    // "Feed the starter every day for about a week." starts the second stretch (620 s).
    expect(selectMoment('how often do you feed a sourdough starter', cues)!.startMs).toBe(600_000 + 4 * 5_000)
    expect(selectMoment('why is cutting warm bread a bad idea', cues)!.startMs).toBe(600_000 + 12 * 5_000)
  })

  test('with nothing in common it falls back to the passage start; without timing there is no moment', () => {
    expect(selectMoment('quantum chromodynamics', cues)!.startMs).toBe(600_000)
    expect(
      selectMoment(
        'bread',
        cues.map((c) => ({ ...c, startMs: null, endMs: null })),
      ),
    ).toBeNull()
  })

  test('a cue longer than the group bound is a group of its own', () => {
    const long: MomentCue[] = [
      { startMs: 0, endMs: 60_000, text: 'a long monologue about trains' },
      { startMs: 60_000, endMs: 62_000, text: 'and then the ferry' },
    ]
    expect(groupCues(long, 20_000)).toHaveLength(2)
    expect(selectMoment('ferry', long)!.startMs).toBe(60_000)
  })
})
