"""The scoring service's texts: Chinese for its entities and rules (states and actions are
labelled in their transition tables)."""

from __future__ import annotations

from pingan.api.i18n import Catalogue
from scoring.domain.stars import STAR_LABELS

_ENTITIES = {
    "creation unit": "创建单位",
    "standard": "创建标准",
    "incident": "事件",
    "family": "家庭",
}

_STARS = {star.value: label.zh for star, label in STAR_LABELS.items()}

MESSAGES = Catalogue(
    terms={**_ENTITIES, **_STARS},
    details={
        "a {kind} unit lies within a unit of its area": "{kind} 类创建单位须隶属其所在区域的单位",
        "a {kind} unit cannot lie within a {parent}": "{kind} 类创建单位不能隶属于 {parent}",
        "a unit lies in the township of the unit that contains it": (
            "创建单位须与其上级单位在同一乡镇(街道)"
        ),
        "a unit lies in the village of the unit that contains it": (
            "创建单位须与其上级单位在同一村(社区)"
        ),
        "a unit below the district names its township or street": "区以下创建单位须注明乡镇或街道",
        "a township or street unit names no village": "乡镇、街道创建单位不注明村或社区",
        "a street unit names a street (街道), a township unit a town": (
            "街道创建单位须为街道,乡镇创建单位须为乡镇"
        ),
        "a village or community unit names its village or community": (
            "村、社区创建单位须注明村或社区"
        ),
        "this {kind} is already registered as unit {id}": "该单位已登记,编号 {id}",
        "the containing unit {id} is not registered": "上级单位 {id} 未登记",
        "unknown standard {ref}": "未知的创建标准:{ref}",
        "{ref} is not a standard for a {kind} unit": "{ref} 不适用于 {kind} 类创建单位",
        "{ref} has no level {level}": "{ref} 没有第 {level} 级",
        "the unit may apply again from {date} (bar period)": "限制期内不得重新申报,{date} 起可申报",
        "the unit applied under {applied}, not {ref}": "该单位按 {applied} 申报,而非 {ref}",
        "the unit has not applied under any standard": "该单位尚未按任何标准申报",
        "no such criterion in {ref}: {codes}": "{ref} 中没有这些考评项目:{codes}",
        "the assessment leaves out: {codes}": "考评缺少以下项目:{codes}",
        "{code} scores between 0 and {max} points": "{code} 的得分应在 0 到 {max} 分之间",
        "no such deduction in {ref}: {code}": "{ref} 中没有扣分项 {code}",
        "a deduction applies at least once": "扣分项至少适用一次",
        "no such veto item in {ref}: {codes}": "{ref} 中没有否决项:{codes}",
        "{ref} asks for a household survey (入户调查)": "{ref} 要求入户调查",
        "the survey asked {n} households; {ref} asks at least {min}": (
            "入户调查 {n} 户,{ref} 要求至少 {min} 户"
        ),
        "a survey has at least one household": "入户调查至少一户",
        "a survey count lies between 0 and the sample size": "调查户数应在 0 与样本量之间",
        "the notice period is over": "公示期已结束",
        "there is no open objection {number}": "没有待处理的第 {number} 号异议",
        "the public notice runs until {date}": "公示期至 {date},期满后方可命名",
        "an objection to the result is not settled": "尚有异议未处理",
        "the incident is already matched to unit {id}": "该事件已匹配到创建单位 {id}",
        "an assessor does not assess a unit of their own township": (
            "考评人员不得考评本乡镇(街道)的创建单位"
        ),
        "appeal {number} is not decided yet": "第 {number} 号申诉尚未裁决",
        "this revocation was appealed already": "该次摘牌已申诉过",
        "there is no open appeal {number}": "没有待裁决的第 {number} 号申诉",
        "the cause of the revocation stands: only a correction or an upheld appeal "
        "restores the title": "摘牌原因仍然成立:只有撤案、降级或申诉成立方可恢复命名",
        "the unit has no revoked title to restore": "该单位没有可恢复的称号",
        "a title is restored no earlier than its revocation ({date})": (
            "恢复命名日期不得早于摘牌日期 {date}"
        ),
        "an incident of {date} since the naming still strips the title": (
            "命名以来 {date} 发生的事件仍须摘牌,不能恢复命名"
        ),
        "unknown star {value}; the stars are: {stars}": (
            "未知的星:{value};十星为法纪、团结、学习、安全、关爱、致富、科技、环保、节俭、健康"
        ),
        "the {star} star is already awarded in {year}": "{year} 年度已评定{star}",
        "the {star} star is not awarded in {year}": "{year} 年度未评定{star},无从撤销",
        "the family is barred from new stars until {date}: {unit} lost its title on "
        "{revoked}": "{unit} 于 {revoked} 被摘牌,{date} 前不得评星",
        "unit {id} is not a family (平安家庭)": "创建单位 {id} 不是家庭,不能评星",
        "the {year} rating cycle is closed": "{year} 年度评星已结束",
        "{ref} asks for a public-opinion evaluation (民意测评)": "{ref} 要求民意测评",
        "{ref} asks for no public-opinion evaluation (民意测评)": "{ref} 不要求民意测评",
        "{ref} asks for a representative meeting (代表会议)": "{ref} 要求召开村(居)民代表会议",
        "{ref} asks for no representative meeting (代表会议)": "{ref} 不要求召开代表会议",
        "the evaluation had {n} taking part; {ref} asks at least {min}": (
            "民意测评参加 {n} 人,{ref} 要求至少 {min} 人"
        ),
        "those in favour number between 0 and those taking part": "赞成人数应在 0 与参加人数之间",
        "a representative meeting has at least one representative": "代表会议至少有一名代表",
        "votes for are at most those attending, and those attending at most the "
        "representatives": "赞成票不得多于到会人数,到会人数不得多于代表人数",
        "the representative meeting is held no later than the assessment": (
            "代表会议应在考评之日或之前召开"
        ),
        "the unit holds a title of {held}, not of {id}": "该单位所获称号属于 {held},而非 {id}",
        "{ref} has no levels to upgrade to": "{ref} 没有可升级的等级",
        "the unit holds level {level}; {ref} has levels up to {max}": (
            "该单位现为第 {level} 级,{ref} 最高为第 {max} 级"
        ),
        "the unit may be assessed for an upgrade from {date}": "升级达标考评须待 {date} 起",
        "a {form} follow-up gives its {what} figures": (
            "该形式的跟踪回访须填报其入户调查、民意测评或代表会议数据"
        ),
        "the representative meeting is held no later than the visit": (
            "代表会议应在回访之日或之前召开"
        ),
    },
)
