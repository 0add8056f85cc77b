"""The budgetkg ontology terms as a closed namespace: a typo raises instead of minting an IRI."""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

DATA_BASE = "https://w3id.org/budgetkg/"      # every IRI of the data is under it (the site maps it onto its paths)
ID_BASE = DATA_BASE + "id/"                    # what extraction mints: departments, disclosures, projects, …
ONTOLOGY = "https://w3id.org/budgetkg/ontology#"
COLUMN = Namespace("https://w3id.org/budgetkg/column/")
KIND = Namespace("https://w3id.org/budgetkg/table-kind/")
FUND = Namespace("https://w3id.org/budgetkg/fund/")
EXPENDITURE = Namespace("https://w3id.org/budgetkg/expenditure/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
STRUCTURE = Namespace("https://w3id.org/budgetkg/structure/")
PHASE = Namespace("https://w3id.org/budgetkg/phase/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")


class BKG(DefinedNamespace):
    """Terms of ontology/budget.ttl; tests check the two agree."""

    _NS = Namespace(ONTOLOGY)
    _fail = True

    # classes
    PerformanceTable: URIRef
    DepartmentPerformanceTable: URIRef
    ProjectPerformanceTable: URIRef
    Indicator: URIRef
    ChangeStatement: URIRef
    ExecutionStatement: URIRef
    executionStatement: URIRef
    initialBudget: URIRef
    finalAmount: URIRef
    completionRate: URIRef
    rateDecimals: URIRef
    sectionRole: URIRef
    EmptyClaim: URIRef
    emptyClaim: URIRef
    claimsEmpty: URIRef
    claimText: URIRef
    ThreePublicStatement: URIRef
    ProcurementStatement: URIRef
    AssetStatement: URIRef
    VehicleHolding: URIRef
    PerformanceSummary: URIRef
    CarryOverItem: URIRef
    CarryOverStatement: URIRef
    StandardTable: URIRef
    Phase: URIRef
    structureOf: URIRef
    performanceTable: URIRef
    aboutProject: URIRef
    reportingUnit: URIRef
    printedProjectName: URIRef
    nameMatch: URIRef
    withinItem: URIRef
    allocationsComplete: URIRef
    responsiblePerson: URIRef
    contactPhone: URIRef
    goalText: URIRef
    fundTotal: URIRef
    fundFiscal: URIRef
    fundOther: URIRef
    fundUpperLevel: URIRef
    fundOwnLevel: URIRef
    unparsedRowText: URIRef
    indicator: URIRef
    level1: URIRef
    level2: URIRef
    targetText: URIRef
    targetKind: URIRef
    comparator: URIRef
    targetValue: URIRef
    targetUnit: URIRef
    targetDate: URIRef
    basisText: URIRef
    previousText: URIRef
    previousValue: URIRef
    previousUnit: URIRef
    weight: URIRef
    scoringRule: URIRef
    evidenceText: URIRef
    changeStatement: URIRef
    subjectText: URIRef
    restates: URIRef
    share: URIRef
    shareDecimals: URIRef
    change: URIRef
    changePercent: URIRef
    changeBasis: URIRef
    priorAmount: URIRef
    headingAmount: URIRef
    reason: URIRef
    reasonDirection: URIRef
    FiscalTotalStatement: URIRef
    fiscalTotalStatement: URIRef
    BasicSpendingStatement: URIRef
    basicSpendingStatement: URIRef
    FundStatement: URIRef
    rowItem: URIRef
    fundStatement: URIRef
    statesTable: URIRef
    openingBalance: URIRef
    incomeAmount: URIRef
    spendingAmount: URIRef
    closingBalance: URIRef
    personnelAmount: URIRef
    publicAmount: URIRef
    amountInPreviousSentence: URIRef
    amountLine: URIRef
    reasonWord: URIRef
    WordingSlip: URIRef
    wordingSlip: URIRef
    printedWording: URIRef
    expectedWording: URIRef
    occurrenceLines: URIRef
    section: URIRef
    threePublicStatement: URIRef
    abroadAmount: URIRef
    vehiclePurchaseAmount: URIRef
    vehicleOperationAmount: URIRef
    receptionAmount: URIRef
    operatingExpenseAmount: URIRef
    procurementStatement: URIRef
    goodsAmount: URIRef
    worksAmount: URIRef
    servicesAmount: URIRef
    smeReservedAmount: URIRef
    microSmallReservedAmount: URIRef
    assetStatement: URIRef
    buildingArea: URIRef
    buildingValue: URIRef
    vehicleCount: URIRef
    vehicleValue: URIRef
    vehicleType: URIRef
    furnitureValue: URIRef
    otherAssetValue: URIRef
    largeEquipment50Count: URIRef
    largeEquipment100Count: URIRef
    vehicleHolding: URIRef
    performanceSummary: URIRef
    departmentTargetCount: URIRef
    departmentTargetAmount: URIRef
    fiscalProjectCount: URIRef
    fiscalProjectAmount: URIRef
    nonfiscalProjectCount: URIRef
    nonfiscalProjectAmount: URIRef
    carryOverItem: URIRef
    sumOf: URIRef
    purposeText: URIRef
    withheld: URIRef
    carryOverStatement: URIRef
    fiscalCarryOver: URIRef
    nonfiscalCarryOver: URIRef
    Disclosure: URIRef
    SourceFile: URIRef
    LoadedGraph: URIRef
    Project: URIRef
    AllocationItem: URIRef
    Department: URIRef
    BudgetUnit: URIRef
    Division: URIRef
    Staffing: URIRef
    BudgetTable: URIRef
    TableRow: URIRef
    BudgetObservation: URIRef
    TableStatus: URIRef
    TableColumn: URIRef
    FundSource: URIRef
    ExpenditureType: URIRef
    ClassificationCode: URIRef
    FunctionCode: URIRef
    EconomicCode: URIRef
    # properties
    department: URIRef
    fiscalYear: URIRef
    dateSigned: URIRef
    sourceFile: URIRef
    sourceSha256: URIRef
    tripleCount: URIRef
    project: URIRef
    budgetAmount: URIRef
    policyBasisText: URIRef
    allocationText: URIRef
    allocationItem: URIRef
    executionPeriodText: URIRef
    budgetAmountText: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    confidential: URIRef
    projectCode: URIRef
    cites: URIRef
    issuerCode: URIRef
    documentYear: URIRef
    serialNumber: URIRef
    citationKind: URIRef
    fileName: URIRef
    sha256: URIRef
    rendering: URIRef
    functionsText: URIRef
    divisionCount: URIRef
    staffing: URIRef
    authorizedPositions: URIRef
    actualHeadcount: URIRef
    activeStaff: URIRef
    activeStaffChange: URIRef
    retiredStaff: URIRef
    retiredStaffChange: URIRef
    retiredVeterans: URIRef
    retiredVeteransChange: URIRef
    table: URIRef
    tableNumber: URIRef
    tableKind: URIRef
    expects: URIRef
    TenThousandYuan: URIRef
    budgetPhase: URIRef
    UnitOfMeasure: URIRef
    Identity: URIRef
    identity: URIRef
    identityTotal: URIRef
    identityPart: URIRef
    rowModel: URIRef
    printedUnit: URIRef
    printedAmount: URIRef
    Template: URIRef
    printsTable: URIRef
    template: URIRef
    phase: URIRef
    scope: URIRef
    tableStatus: URIRef
    emptyNote: URIRef
    rawText: URIRef
    inTable: URIRef
    rowIndex: URIRef
    sourceLine: URIRef
    sourcePage: URIRef
    boundingBox: URIRef
    rowLabel: URIRef
    side: URIRef
    rowLevel: URIRef
    isAggregate: URIRef
    classificationCode: URIRef
    functionCode: URIRef
    economicCode: URIRef
    projectName: URIRef
    executingUnit: URIRef
    unplacedValues: URIRef
    sourceRow: URIRef
    column: URIRef
    fundSource: URIRef
    expenditureType: URIRef
    amount: URIRef
    inStandardList: URIRef
    inOfficialList: URIRef
    validClass: URIRef
    officialName: URIRef
    hasCompleteList: URIRef
    isHeadUnit: URIRef
    mergedUnit: URIRef
    listPosition: URIRef
    # individuals
    TableStatusScheme: URIRef
    Present: URIRef
    DeclaredEmpty: URIRef
    Absent: URIRef
    Unparsed: URIRef


STATUS = {"present": BKG.Present, "empty": BKG.DeclaredEmpty, "absent": BKG.Absent, "unparsed": BKG.Unparsed}
