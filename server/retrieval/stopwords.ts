// Words too common to say what a passage is about. A hashing embedder has no
// corpus statistics (no IDF), so without this list "the" and "and" would
// dominate every vector. English (the usual function words, plus the fillers
// of spoken transcripts) and Danish; Danish function words that are also
// English content words (e.g. "man", "hold") are left out on purpose.
// Stored normalised, exactly as the tokens they are compared with.

import { normalizeText } from './normalizeText'

const ENGLISH = `a about above after again against all also am an and any are aren as at be because been
before being below between both but by can cannot could couldn d did didn do does doesn doing don down during
each few for from further get gets got had hadn has hasn have haven having he her here hers herself him himself
his how i if in into is isn it its itself just ll m me might more most must mustn my myself no nor not now o of
off on once only or other ought our ours ourselves out over own re s same shan she should shouldn so some such
t than that the their theirs them themselves then there these they this those through to too under until up
us ve very was wasn we were weren what when where which while who whom why will with won would wouldn y you
your yours yourself yourselves let lets shall may yes yeah yep okay ok oh um uh uhm hmm mm mhm huh ah er erm
like well really actually kind sort just gonna wanna thing things something anything going go know think
mean say said see one`

const DANISH = `af alle andet andre at blev blive bliver da de dem den denne der deres det dette dig din
dine disse dit dog du efter eller end er et for fra ham han hans har havde have hende hendes her hos hun hvad
hvis hvor hvordan hvorfor ikke ind jeg jer jo kan kunne må med meget men mig min mine mit mod når nej noget
nogen nu og også om op os på sig sin sine sit skal skulle som så sådan thi til ud var vi vil ville vor være
været altså lige bare nok ja`

export const STOPWORDS: ReadonlySet<string> = new Set(normalizeText(`${ENGLISH} ${DANISH}`).split(/\s+/u).filter(Boolean))
